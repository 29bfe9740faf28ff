"""python -m queries ..."""
from queries.cli import app

if __name__ == "__main__":
    app()
