"""HTTP API of the hybrid recommender."""
from cachetools import TTLCache
from fastapi import FastAPI, Request

from recommender import recommend_for

app = FastAPI()

_response_cache = TTLCache(maxsize=500, ttl=300)


@app.get("/recommendations/{user_id}")
async def recommendations(user_id: str, request: Request, k: int = 10):
    key = str(request.url)
    payload = _response_cache.get(key)
    if payload is not None:
        return payload
    payload = {"user": user_id, "items": recommend_for(user_id, k)}
    _response_cache[key] = payload
    return payload
