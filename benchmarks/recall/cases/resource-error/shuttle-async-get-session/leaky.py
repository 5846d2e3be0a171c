"""HTTP helpers shared by the data-source plugins."""
from contextlib import asynccontextmanager

import aiohttp

USER_AGENT = "fluxnet-shuttle/0.3"
DEFAULT_TIMEOUT = 60


@asynccontextmanager
async def get_session(timeout=DEFAULT_TIMEOUT):
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout), headers={"User-Agent": USER_AGENT})  # leak
    yield session
    await session.close()


async def fetch_site_list(base_url):
    async with get_session() as session:
        async with session.get(f"{base_url}/sites") as resp:
            resp.raise_for_status()
            payload = await resp.json()
    return [site["site_id"] for site in payload["sites"]]


async def download_file(url, dest_path, chunk_size=1 << 16):
    async with get_session(timeout=None) as session:
        async with session.get(url) as resp:
            resp.raise_for_status()
            with open(dest_path, "wb") as out:
                async for chunk in resp.content.iter_chunked(chunk_size):
                    out.write(chunk)
    return dest_path
