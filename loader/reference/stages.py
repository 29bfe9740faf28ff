"""The six GVC stages of the smile curve, in value-chain order."""
STAGES = [
    ("rnd", "Research and development"),
    ("design", "Design"),
    ("parts", "Parts and components"),
    ("assembly", "Assembly"),
    ("marketing", "Marketing and distribution"),
    ("service", "After-sales service"),
]
STAGE_KEYS = [k for k, _ in STAGES]
