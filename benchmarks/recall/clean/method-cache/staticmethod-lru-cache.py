"""The lru_cache sits under @staticmethod, so its keys are only the hashable arguments and never the instance."""
from functools import lru_cache


class SlugService:
    def __init__(self, repository):
        self.repository = repository

    @staticmethod
    @lru_cache(maxsize=1024)
    def slugify(title: str) -> str:
        cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in title)
        return "-".join(part for part in cleaned.split("-") if part)

    def unique_slug(self, title):
        base = self.slugify(title)
        slug, n = base, 1
        while self.repository.exists(slug):
            n += 1
            slug = f"{base}-{n}"
        return slug
