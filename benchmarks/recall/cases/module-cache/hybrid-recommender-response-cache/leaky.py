"""HTTP API of the hybrid recommender."""
import time

from fastapi import FastAPI, Request

from recommender import recommend_for

app = FastAPI()

CACHE_TTL_SECONDS = 300
_response_cache = {}  # leak


@app.get("/recommendations/{user_id}")
async def recommendations(user_id: str, request: Request, k: int = 10):
    key = str(request.url)
    hit = _response_cache.get(key)
    if hit is not None:
        stored_at, payload = hit
        if time.time() - stored_at < CACHE_TTL_SECONDS:
            return payload
        del _response_cache[key]
    payload = {"user": user_id, "items": recommend_for(user_id, k)}
    _response_cache[key] = (time.time(), payload)  # leak
    return payload
