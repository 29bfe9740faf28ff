"""Syllables for synthetic firm and person names, per country (plausible, not real people)."""
GIVEN = {
    "KOR": ["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Soo-ah", "Joon-young", "Ye-jin", "Hyun-woo", "Eun-ji"],
    "CHN": ["Wei", "Fang", "Jing", "Lei", "Min", "Tao", "Yan", "Hao", "Li", "Jun"],
    "JPN": ["Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Sakura", "Kaito", "Mio"],
    "USA": ["James", "Olivia", "Michael", "Emma", "David", "Sophia", "Daniel", "Ava", "Robert", "Mia"],
    "DEU": ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Max", "Laura"],
    "VNM": ["Anh", "Minh", "Linh", "Huy", "Trang", "Duc", "Mai", "Nam", "Thao", "Quang"],
    "IDN": ["Budi", "Siti", "Agus", "Dewi", "Eko", "Rina", "Hendra", "Putri", "Rizky", "Ayu"],
}
FAMILY = {
    "KOR": ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"],
    "CHN": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"],
    "JPN": ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"],
    "USA": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Wilson", "Moore"],
    "DEU": ["Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"],
    "VNM": ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do"],
    "IDN": ["Santoso", "Wijaya", "Hartono", "Susanto", "Gunawan", "Setiawan", "Halim", "Kusuma", "Saputra", "Lestari"],
}
FIRM_STEM = {
    "KOR": ["Hanbit", "Daesung", "Seil", "Mirae", "Hyeon", "Saehan", "Donga", "Kumho", "Taeyang", "Pungsan"],
    "CHN": ["Huaxin", "Zhongda", "Jinlong", "Tianhe", "Hengtai", "Xinyu", "Dongfang", "Changjiang", "Baoli", "Kaida"],
    "JPN": ["Nippon", "Yamato", "Asahi", "Fuji", "Sakura", "Daiwa", "Kyowa", "Tokai", "Shinwa", "Meiko"],
    "USA": ["Pioneer", "Liberty", "Summit", "Atlas", "Eagle", "Frontier", "Keystone", "Pacific", "Granite", "Union"],
    "DEU": ["Rheinmetall", "Nordwerk", "Alpen", "Hansa", "Saxonia", "Bavaria", "Elbe", "Schwarzwald", "Ruhr", "Weser"],
    "VNM": ["Sao Viet", "Hoa Binh", "Thanh Cong", "Phu My", "Dong A", "Hung Thinh", "Viet Tien", "An Phat", "Minh Long",
            "Song Hong"],
    "IDN": ["Nusantara", "Garuda", "Cahaya", "Sinar Mas", "Bintang", "Mandiri", "Samudra", "Jaya Abadi", "Merapi",
            "Borneo"],
}
SECTOR_WORD = {"food": "Foods", "mining": "Resources", "manufactoring": "Industries", "electricity": "Energy",
               "construction": "Construction", "trade": "Trading", "transport": "Logistics", "other": "Services"}
