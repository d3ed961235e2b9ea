"""A shop's traffic: mostly catalogue reads, some writes, the probes. Authenticated.

`make load` runs it headless against a server it starts (or BASE_URL) and fails the run on any
error or on a p95 above LOAD_P95_MS. Run it alone with:
    LOAD_TOKEN=... LOAD_P95_MS=300 locust -f tools/load/locustfile.py --host http://127.0.0.1:8000
"""

from __future__ import annotations

import json
import logging
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment

PRODUCTS = "/api/v1/products"


class Shopper(HttpUser):
    # A person clicking through a shop, not a tight loop: 50-200 ms between requests.
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {os.environ['LOAD_TOKEN']}"
        self.product_ids: list[str] = []
        self.create_product()

    @task(6)
    def browse_catalogue(self) -> None:
        offset = random.choice((0, 0, 0, 20))  # noqa: S311 (traffic shape, not security)
        self.client.get(PRODUCTS, params={"limit": 20, "offset": offset}, name=PRODUCTS)

    @task(3)
    def view_product(self) -> None:
        product_id = random.choice(self.product_ids)  # noqa: S311
        self.client.get(f"{PRODUCTS}/{product_id}", name=PRODUCTS + "/{id}")

    @task(1)
    def create_product(self) -> None:
        sku = f"LOAD-{uuid.uuid4().hex[:12].upper()}"
        body = {"sku": sku, "name": "Load test tea", "price": "4.20"}
        with self.client.post(PRODUCTS, json=body, name=PRODUCTS, catch_response=True) as response:
            if response.status_code == 201:
                self.product_ids.append(response.json()["id"])
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def probe(self) -> None:
        self.client.get("/healthz")


def gate(environment: Environment, **_: Any) -> None:
    """The pass/fail rule: no failed request, and p95 of all requests within LOAD_P95_MS."""
    limit = float(os.environ["LOAD_P95_MS"])
    total = environment.stats.total
    p95 = total.get_response_time_percentile(0.95) or 0.0
    problems = []
    if total.num_requests == 0:
        problems.append("no requests were made")
    if total.num_failures:
        problems.append(f"{total.num_failures} of {total.num_requests} requests failed")
    if p95 > limit:
        problems.append(f"p95 {p95:.0f} ms is above LOAD_P95_MS={limit:.0f}")
    summary = (
        f"{total.num_requests} requests, {total.total_rps:.0f} req/s, p95 {p95:.0f} ms "
        f"(limit {limit:.0f} ms), {total.num_failures} failures"
    )
    csv_prefix = environment.parsed_options and environment.parsed_options.csv_prefix
    if csv_prefix:  # the numbers CI and the template's tests read, beside the CSV reports
        Path(f"{csv_prefix}_summary.json").write_text(
            json.dumps(
                {
                    "requests": total.num_requests,
                    "failures": total.num_failures,
                    "requests_per_second": round(total.total_rps, 1),
                    "p95_ms": p95,
                    "p95_limit_ms": limit,
                    "passed": not problems,
                },
                indent=2,
            )
        )
    if problems:
        logging.error("load gate FAILED: %s. %s", "; ".join(problems), summary)
        environment.process_exit_code = 1
    else:
        logging.info("load gate passed: %s", summary)


# Locust's event hooks are untyped.
events.quitting.add_listener(gate)  # type: ignore[no-untyped-call]
