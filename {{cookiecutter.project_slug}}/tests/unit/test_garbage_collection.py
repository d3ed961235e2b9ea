import gc

from {{ cookiecutter.package_name }}.garbage_collection import (
    SERVING_THRESHOLDS,
    collector_tuned_for_serving,
)


def test_serving_freezes_start_up_objects_and_restores_the_collector_afterwards() -> None:
    before = gc.get_threshold()
    with collector_tuned_for_serving():
        assert gc.get_threshold() == SERVING_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
