"""Pipeline analytics on a small history done on paper (the figures in the comments)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.selectors.forecast import Z80
from crm.selectors.pipeline_history import AnalyticsScope
from crm.selectors.pipeline_report import pipeline_analytics, sales_forecast
from crm.tests.factories import PipelineFactory, deal_with_history

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
T0 = NOW - timedelta(days=120)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


@pytest.fixture
def pipeline():
    return PipelineFactory(stages=["New Lead", "Contacted", "Engaged", ("Won", "won"), ("Lost", "lost")])


@pytest.fixture
def paper(pipeline):
    """Seven deals. Won: A (10 days from creation), C (20), G (40); lost: B, D; open: E, F."""
    deals = {
        "A": [("New Lead", day(0)), ("Contacted", day(2)), ("Engaged", day(5)), ("Won", day(10))],
        "B": [("New Lead", day(1)), ("Contacted", day(5)), ("Lost", day(9))],
        "C": [("New Lead", day(2)), ("Contacted", day(4)), ("Engaged", day(10)), ("Won", day(22))],
        "D": [("New Lead", day(3)), ("Lost", day(4))],
        "E": [("New Lead", day(4)), ("Contacted", day(6)), ("Engaged", day(12))],
        "F": [("New Lead", day(5))],
        "G": [("New Lead", day(6)), ("Contacted", day(7)), ("Engaged", day(8)), ("Won", day(46))],
    }
    values = {"A": 1000, "B": 2000, "C": 3000, "D": 500, "E": 6000, "F": 4000, "G": 5000}
    reasons = {"B": "No budget"}
    return {
        name: deal_with_history(pipeline, steps, value=values[name], reason=reasons.get(name, ""))
        for name, steps in deals.items()
    }


def analytics(pipeline, **kwargs):
    return pipeline_analytics(AnalyticsScope((pipeline,), now=NOW, **kwargs))


def test_win_rate_velocity_and_loss_reasons(pipeline, paper):
    result = analytics(pipeline)

    assert result["pipeline_health"]["win_rate"] == 60.0  # 3 won / (3 won + 2 lost)
    velocity = result["deal_velocity"]
    assert (velocity["deals"], velocity["median_days"], velocity["average_days"]) == (3, 20.0, 23.3)
    assert velocity["fastest"]["deal_id"] == str(paper["A"].pk) and velocity["fastest"]["days"] == 10.0
    assert velocity["slowest"]["deal_id"] == str(paper["G"].pk) and velocity["slowest"]["days"] == 40.0
    assert velocity["slowest"]["contact"] == paper["G"].contact.name
    reasons = result["win_loss"]["loss_reasons"]
    assert reasons == [{"reason": "(none given)", "deals": 1}, {"reason": "No budget", "deals": 1}]
    assert result["win_loss"]["by_pipeline"][0] | {} == {
        "pipeline": pipeline.name, "pipeline_id": pipeline.pk, "brand": pipeline.brand.name, "won": 3, "lost": 2,
        "win_rate": 60.0, "won_value": 9000.0,
    }  # fmt: skip


def test_funnel_counts_the_stages_deals_reached(pipeline, paper):
    funnel = analytics(pipeline)["conversion_funnel"]

    # Reached New Lead: all 7; Contacted: A B C E G; Engaged: A C E G; Won: A C G. Lost is no step.
    assert [(f["stage"], f["count"], f["conversion"]) for f in funnel["funnel"]] == [
        ("New Lead", 7, 100.0), ("Contacted", 5, 71.4), ("Engaged", 4, 80.0), ("Won", 3, 75.0),
    ]  # fmt: skip
    assert funnel["overall_conversion"] == 42.9  # 3 / 7
    assert "from New Lead to Contacted" in funnel["recommendations"][0]


def test_stage_times_bottleneck_stalled_deals_and_health(pipeline, paper):
    health = analytics(pipeline)["pipeline_health"]

    stays = {
        s["stage"]: (s["stays"], s["median_days"], s["average_days"]) for s in health["velocity_metrics"]["by_stage"]
    }
    # New Lead: 2 4 2 1 2 1; Contacted: 3 4 6 6 1; Engaged: 5 12 38 days.
    assert stays == {"New Lead": (6, 2.0, 2.0), "Contacted": (5, 4.0, 4.0), "Engaged": (3, 12.0, 18.3)}
    # Every stay together: median 3.5; Engaged's 12 is at least 1.5 x 3.5.
    (bottleneck,) = health["bottlenecks"]
    assert (bottleneck["stage"], bottleneck["reasons"], bottleneck["pipeline_median_days"]) == (
        "Engaged",
        ["slow"],
        3.5,
    )
    # F has sat 115 days in New Lead (stalled after 2 x 2), E 108 in Engaged (after 2 x 12).
    components = health["components"]
    assert components["stalled"] | {} == {"score": 0.0, "stalled_deals": 2, "active_deals": 2, "weight": 0.25}
    # Recent (last 90 days): G won alone, 100% against the usual 60%: 100. Median days to win
    # 40 against the usual 20: 50. One bottleneck: 75.
    assert components["win_rate"]["score"] == 100.0
    assert components["velocity"]["score"] == 50.0
    assert components["bottlenecks"]["score"] == 75.0
    assert health["overall_health_score"] == 59  # 0.35 * 100 + 0.25 * 50 + 0.25 * 0 + 0.15 * 75 = 58.75
    assert any("Engaged" in line and "12.0 days" in line for line in health["recommendations"])
    distribution = {row["stage"]: row["count"] for row in health["stage_distribution"]}
    assert distribution == {"New Lead": 1, "Contacted": 0, "Engaged": 1}


def test_dates_limit_closed_deals_and_the_funnel_cohort(pipeline, paper):
    result = analytics(pipeline, date_from=day(8), date_to=day(23))

    # Closed from day 8 to 23: A won (10), B lost (9), C won (22).
    assert result["pipeline_health"]["win_rate"] == 66.7
    assert result["deal_velocity"]["median_days"] == 15.0  # A 10, C 20
    # Created in the period: nobody (all were created by day 6).
    assert [f["count"] for f in result["conversion_funnel"]["funnel"]] == [0, 0, 0, 0]
    assert result["conversion_funnel"]["overall_conversion"] is None


def test_pipeline_value_and_forecast_keys(pipeline, paper):
    forecast = analytics(pipeline)["pipeline_forecast"]

    assert forecast["total_pipeline_value"] == 10000.0  # E 6000 + F 4000, the open deals
    assert 0 < forecast["weighted_pipeline_value"] < 10000.0
    assert set(forecast["by_stage"]) == {str(s.pk) for s in pipeline.stages.filter(is_terminal=False)}
    assert [m["month"] for m in forecast["by_month"]] == ["2026-06", "2026-07", "2026-08"]


def test_forecast_on_paper():
    """One open stage. Closed: three won 10 days after entering it, two lost after 5; one deal
    of 2000 entered it an hour before the cut-off. March 2026 has 31 days."""
    pipeline = PipelineFactory(stages=["New Lead", ("Won", "won"), ("Lost", "lost")])
    cut = datetime(2026, 3, 1, tzinfo=UTC)
    old = cut - timedelta(days=200)  # created before the 90 days whose pace counts
    for n in range(3):
        deal_with_history(pipeline, [("New Lead", old + timedelta(days=n)), ("Won", old + timedelta(days=n + 10))])
    for n in range(2):
        deal_with_history(pipeline, [("New Lead", old + timedelta(days=n)), ("Lost", old + timedelta(days=n + 5))])
    deal_with_history(pipeline, [("New Lead", cut - timedelta(hours=1))], value=2000)

    result = sales_forecast(AnalyticsScope((pipeline,), now=cut), 1)

    p = (3 + 5 * 0.5) / (3 + 2 + 5)  # smoothed toward the default 1 / (1 + 1) with 5 pseudo-deals
    adjusted = p * (4 / 5) / (p * (4 / 5) + (1 - p) * (3 / 4))  # still won / lost after 0 days, Laplace
    open_part = 2000 * adjusted  # won on day 10: in March
    new_wins = 20 * (1 / 90) * p  # one deal in 90 days, won from day 11 (age 10 < day) to day 30
    (march,) = result["by_month"]
    assert march["from_open_deals"] == round(open_part, 2)
    assert march["from_new_deals"] == round(new_wins * 2000, 2)
    assert march["expected"] == round(open_part + new_wins * 2000, 2)
    spread = Z80 * (2000**2 * adjusted * (1 - adjusted) + new_wins * 2000**2) ** 0.5
    assert march["high"] == round(open_part + new_wins * 2000 + spread, 2)
    assert march["low"] == round(max(0.0, open_part + new_wins * 2000 - spread), 2)
    # Nothing was won after any back-test's cut-off: no error to report rather than a division by zero.
    assert result["months"] == 1 and result["method"]["backtest_error"] is None


def test_backtest_compares_with_the_previous_months_average(pipeline):
    """A deal of 1000 won every 10 days for a year: the baseline is right, and so must we be, nearly."""
    now = datetime(2026, 7, 1, tzinfo=UTC)
    start = now - timedelta(days=400)
    for n in range(40):
        created = start + timedelta(days=10 * n)
        steps = [
            ("New Lead", created),
            ("Contacted", created + timedelta(days=3)),
            ("Won", created + timedelta(days=8)),
        ]
        deal_with_history(pipeline, steps)
        lost = [("New Lead", created + timedelta(days=1)), ("Lost", created + timedelta(days=4))]
        deal_with_history(pipeline, lost)

    method = sales_forecast(AnalyticsScope((pipeline,), now=now), 2)["method"]

    runs = method["backtests"]
    assert [run["cut_off"] for run in runs] == ["2026-05-01", "2026-04-01", "2026-03-01", "2026-02-01",
                                                "2026-01-01", "2025-12-01"]  # fmt: skip
    actual = sum(sum(run["actual"]) for run in runs)
    ours = sum(abs(f - a) for run in runs for f, a in zip(run["forecast"], run["actual"], strict=True))
    naive = sum(abs(run["baseline"] - a) for run in runs for a in run["actual"])
    assert method["backtest_error"] == round(ours / actual, 4)
    assert method["baseline_error"] == round(naive / actual, 4)
    # Wins fall on 4 June 2025 + 10n days: 1 November, 11 November ... 30 April are 19 of them in
    # the six months before May.
    assert runs[0]["baseline"] == round(19 * 1000 / 6, 2)
    assert method["backtest_error"] < 0.25
    assert "WAPE" in method["error_measure"]


def test_a_fixed_number_of_queries(pipeline, paper):
    with CaptureQueriesContext(connection) as few:
        analytics(pipeline)
    for n in range(30):
        deal_with_history(pipeline, [("New Lead", day(n)), ("Contacted", day(n + 1)), ("Won", day(n + 5))])
    with CaptureQueriesContext(connection) as many:
        analytics(pipeline)
    assert len(many) == len(few)


def test_stage_times_of_a_period_end_with_the_month_its_last_day_is_in(pipeline):
    """date_to is exclusive: a period ending at midnight on 1 May leaves May's stays out."""
    april, may = datetime(2026, 4, 10, tzinfo=UTC), datetime(2026, 5, 10, tzinfo=UTC)
    deal_with_history(pipeline, [("New Lead", april), ("Contacted", april + timedelta(days=2))])
    deal_with_history(pipeline, [("New Lead", may), ("Contacted", may + timedelta(days=6))])

    april_only = AnalyticsScope((pipeline,), date_to=datetime(2026, 5, 1, tzinfo=UTC), now=NOW)
    stays = {
        s["stage"]: s["stays"]
        for s in pipeline_analytics(april_only)["pipeline_health"]["velocity_metrics"]["by_stage"]
    }

    assert stays["New Lead"] == 1
