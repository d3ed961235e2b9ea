"""The operations files of the generated project (ops/, the compose profile `observability`):
promtool accepts the Prometheus config and the alert rules and their rule tests pass, the Grafana
dashboard is a well-formed dashboard on the provisioned data source, and the profile runs pinned
images with configuration files that exist.

promtool comes with Prometheus (Debian's `prometheus` package); where it is absent its test skips
and says so. Whether the metric names in the dashboard and the rules are ones the app exports is
checked inside the baked project, against a real scrape (tests/integration/test_observability.py).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.baking import BakedProject
from tests.conftest import Bake

# Share the default bake with the other tests of the worker that bakes it.
pytestmark = pytest.mark.xdist_group("default")

PROFILE = "observability"
PROFILE_SERVICES = {"prometheus", "postgres-exporter", "grafana"}
# A release tag (v1.2.3 or 1.2.3, never `latest` or a moving major) and the digest of that release.
PINNED_IMAGE = re.compile(r"[\w./-]+:v?\d+\.\d+\.\d+@sha256:[0-9a-f]{64}")
PANEL_TYPES = {"timeseries", "stat", "table"}
GRID_COLUMNS = 24
# What the dashboard must show, by the PromQL that shows it.
DASHBOARD_MUST_QUERY = {
    "request rate": "rate(http_requests_total",
    "p95 latency": "histogram_quantile(0.95",
    "error rate": 'http_requests_total{status=~"5..',
    "pool usage": "db_pool_checked_out",
    "validation failures": "http_validation_failures_total",
    "database health": "pg_up",
}


@pytest.fixture(scope="module")
def project(baked: Bake) -> BakedProject:
    return baked({})


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def test_promtool_accepts_the_config_and_the_alert_rules_and_their_tests(
    project: BakedProject,
) -> None:
    if shutil.which("promtool") is None:
        pytest.skip(
            "promtool is not installed (it comes with Prometheus: apt-get install prometheus)"
        )
    output = project.run(["make", "observability-check"], timeout=120)
    assert "SUCCESS: 1 rule files found" in output
    assert re.search(r"SUCCESS: \d+ rules found", output)
    assert "alerts.test.yml\n  SUCCESS" in output


def test_the_dashboard_is_well_formed_and_queries_the_provisioned_data_source(
    project: BakedProject,
) -> None:
    grafana = project / "ops" / "grafana"
    (source,) = load_yaml(grafana / "provisioning/datasources/prometheus.yml")["datasources"]
    dashboard = json.loads((grafana / "dashboards/service.json").read_text())
    assert dashboard["uid"]
    assert dashboard["title"]
    panels = dashboard["panels"]
    assert len({panel["id"] for panel in panels}) == len(panels)
    cells: set[tuple[int, int]] = set()
    for panel in panels:
        assert panel["type"] in PANEL_TYPES, panel["title"]
        assert panel["datasource"]["uid"] == source["uid"], panel["title"]
        targets = panel["targets"]
        assert targets, f"{panel['title']} queries nothing"
        assert len({target["refId"] for target in targets}) == len(targets)
        for target in targets:
            assert target["datasource"]["uid"] == source["uid"]
            assert target["expr"].strip()
        grid = panel["gridPos"]
        assert grid["x"] >= 0, panel["title"]
        assert grid["x"] + grid["w"] <= GRID_COLUMNS, panel["title"]
        panel_cells = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & panel_cells, f"{panel['title']} overlaps another panel"
        cells |= panel_cells
    queries = "\n".join(target["expr"] for panel in panels for target in panel["targets"])
    missing = [what for what, expr in DASHBOARD_MUST_QUERY.items() if expr not in queries]
    assert missing == []


def test_the_provisioning_points_at_the_dashboards_grafana_mounts(project: BakedProject) -> None:
    compose = load_yaml(project / "compose.yaml")
    mounts = dict(volume.split(":")[:2] for volume in compose["services"]["grafana"]["volumes"])
    (provider,) = load_yaml(project / "ops/grafana/provisioning/dashboards/service.yml")[
        "providers"
    ]
    dashboards_dir = {target: source for source, target in mounts.items()}[
        provider["options"]["path"]
    ]
    assert (project / dashboards_dir / "service.json").is_file()
    home = compose["services"]["grafana"]["environment"][
        "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"
    ]
    assert home == f"{provider['options']['path']}/service.json"


def test_the_compose_profile_runs_pinned_images_with_files_that_exist(
    project: BakedProject,
) -> None:
    services = load_yaml(project / "compose.yaml")["services"]
    in_profile = {
        name for name, service in services.items() if PROFILE in service.get("profiles", [])
    }
    assert in_profile == PROFILE_SERVICES
    # The profile adds to the default stack; it does not take the app or its database away.
    assert {"db", "migrate", "app"} <= {n for n, s in services.items() if "profiles" not in s}
    for name in PROFILE_SERVICES:
        service = services[name]
        assert PINNED_IMAGE.fullmatch(service["image"]), f"{name}: {service['image']} is not pinned"
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond this machine"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (project / source).exists(), f"{name} mounts {source}, which is missing"


def test_prometheus_and_grafana_reach_services_of_the_stack(project: BakedProject) -> None:
    services = load_yaml(project / "compose.yaml")["services"]
    prometheus = load_yaml(project / "ops/prometheus/prometheus.yml")
    targets = [
        target
        for job in prometheus["scrape_configs"]
        for config in job["static_configs"]
        for target in config["targets"]
    ]
    assert {job["job_name"] for job in prometheus["scrape_configs"]} == {"app", "postgres"}
    assert {target.split(":")[0] for target in targets} <= set(services)
    (source,) = load_yaml(project / "ops/grafana/provisioning/datasources/prometheus.yml")[
        "datasources"
    ]
    assert urlsplit(source["url"]).hostname in services
