"""Registry of ML model versions and their deployments."""
from datetime import datetime, timezone
from typing import Dict, List, Optional


class MLModelRegistry:
    def __init__(self) -> None:
        self.models: Dict[str, Dict[str, dict]] = {}
        self.active: Dict[str, str] = {}
        self.deployment_log: List[Dict] = []  # leak

    def register(self, model_name: str, version: str, metrics: dict) -> None:
        self.models.setdefault(model_name, {})[version] = {"metrics": metrics}

    def _log(self, model_name: str, action: str, version: str, **extra) -> None:
        entry = {
            "timestamp": datetime.now(timezone.utc).isoformat(),
            "model_name": model_name,
            "action": action,
            "version": version,
        }
        entry.update(extra)
        self.deployment_log.append(entry)  # leak

    def deploy(self, model_name: str, version: str) -> None:
        self.active[model_name] = version
        self._log(model_name, "deploy", version)

    def shift_traffic(self, model_name: str, version: str, percent: int) -> None:
        self._log(model_name, "traffic_shift", version, percent=percent)

    def rollback(self, model_name: str, version: str) -> None:
        self.active[model_name] = version
        self._log(model_name, "rollback", version)

    def get_deployment_history(self, model_name: Optional[str] = None, limit: int = 20) -> List[Dict]:
        entries = [e for e in self.deployment_log if model_name is None or e["model_name"] == model_name]
        return entries[-limit:]
