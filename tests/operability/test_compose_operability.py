from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_lets_only_prometheus_read_the_metrics():
    compose = _compose()
    services = compose["services"]
    prometheus_address = services["prometheus"]["networks"]["default"]["ipv4_address"]

    for name in ("web-a", "web-b", "worker", "beat", "backup"):
        assert services[name]["environment"]["METRICS_ALLOWED_ADDRESSES"] == prometheus_address
    scrape = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    targets = {target for job in scrape["scrape_configs"] for config in job["static_configs"]
               for target in config["targets"]}
    assert targets == {"web-a:8000", "web-b:8000",
                       f"worker:{services['worker']['environment']['WORKER_METRICS_PORT']}"}
    assert "ports" not in services["worker"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "location = /metrics {\n        return 404;" in nginx


def test_compose_backs_up_daily_with_json_logs_everywhere():
    services = _compose()["services"]

    assert "manage.py backup" in services["backup"]["command"]
    assert "sleep 86400" in services["backup"]["command"]
    assert "backups:/backups" in services["backup"]["volumes"]
    assert services["backup"]["environment"]["BACKUP_ROOT"] == "/backups"
    # the same database and object store as the portal's containers
    for variable in ("DATABASE_URL", "S3_BUCKET", "S3_ENDPOINT_URL"):
        assert services["backup"]["environment"][variable] == services["web-a"]["environment"][variable]
    for name in ("web-a", "web-b", "worker", "beat", "backup"):
        assert services[name]["environment"]["LOG_FORMAT"] == "json"
        assert services[name]["environment"]["SENTRY_DSN"] == "${SENTRY_DSN:-}"
