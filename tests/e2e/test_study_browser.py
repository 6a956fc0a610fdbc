"""The model factory's wizard in Debian's Chromium: a developer picks a table, a recipe and a
target column by clicking, starts the study, and watches the leaderboard fill as trials finish
(the page polls; trials run here as a worker would run them), then stops it early."""
import pytest

from core.training.models import Job, Study

from ..training.tables import multiclass_frame, table_version
from .test_grid_browser import assert_only_local_requests, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings):
    settings.JOB_HEARTBEAT_INTERVAL_S = 3600


def test_the_wizard_reaches_a_live_leaderboard(live_server, page, screenshot, orgs, users):
    from core.training.actions.runner import run_job

    iris = table_version(multiclass_frame(), organisation=orgs["a"], user=users["a_dev"], name="iris")
    sign_in(page, live_server.url, "a_dev", "pw-a_dev", "/studies/")
    page.click("#new-study")
    page.select_option("#wizard-version", str(iris.pk))
    page.wait_for_selector("#wizard-recipes")
    page.check("input[name=recipe][value=tabular_classification]")
    page.wait_for_selector("#wizard-space")
    assert "learning_rate" in page.locator("#wizard-space").inner_text()
    page.select_option("#wizard-start select[name=target]", "species")
    page.fill("#wizard-start input[name=max_iter]", "40")
    page.fill("#wizard-start input[name=budget_trials]", "4")
    page.fill("#wizard-start input[name=parallelism]", "1")
    page.click("#wizard-go")
    page.wait_for_selector("#leaderboard")
    study = Study.objects.get()
    assert page.url.endswith(f"/studies/{study.pk}/") and study.params["target"] == "species"
    for _ in range(2):  # what the training worker does
        run_job(Job.objects.filter(status="queued").order_by("id").first().pk)
    # the board refreshes itself: two complete trials and a line chart of them appear
    page.wait_for_function("() => document.querySelectorAll('#leaderboard tr[data-status=complete]').length === 2")
    page.wait_for_function("() => document.querySelectorAll('#study-chart canvas').length === 1")
    screenshot("study-leaderboard")
    page.click("#stop-study")
    page.wait_for_selector("#study-version")
    assert page.locator("#study-status").inner_text().strip() == "Stopped"
    study.refresh_from_db()
    assert study.status == "stopped" and study.best_trial.model_version is not None
    assert_only_local_requests(page)
