"""In a real browser: a cluster management records a delegation with the members taking part
and the contacts made abroad (one new, one known), and finds it among its activities."""

import pytest

from monitoring.models import Activity

from ..monitoring.support import members_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_an_activity_with_participants_and_contacts(
    visitor, application_a, cluster_a, manager_a
):
    members = members_add(cluster_a, 4, manager_a)
    martha = visitor("martha-manager-a", "pw-martha-manager-a")
    page = martha.go("/")
    page.locator("header nav a", has_text="Clusters as a whole").click()
    page.wait_for_url(f"**/monitoring/clusters/{cluster_a.pk}/")
    page.get_by_role("link", name="Record an activity").click()
    page.get_by_label("Type").select_option("delegation")
    page.get_by_label("Title").fill("Delegation to Shenzhen")
    page.get_by_label("Date").fill("2025-05-12")
    page.get_by_label("Partner country").select_option("CN")
    page.get_by_label("Partner region").fill("Guangdong (Shenzhen)")
    page.get_by_label("in person").check()
    page.get_by_label(members[0].name).check()
    page.get_by_label(members[2].name).check()
    first, second = (page.locator("fieldset").nth(n) for n in (0, 1))
    first.get_by_label("Partner organisation abroad").fill("SUSTech")
    first.get_by_label("Country").select_option("CN")
    first.get_by_label("new partner").check()
    first.get_by_label("Member who made it").select_option(label=members[2].name)
    second.get_by_label("Partner organisation abroad").fill("Huawei Research")
    second.get_by_label("Country").select_option("CN")
    second.get_by_label("known partner").check()
    martha.shot("monitoring-activity-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/monitoring/activities/*/")
    assert "2 members" in page.locator("main").inner_text()
    contacts = page.locator("table tbody tr")
    assert contacts.count() == 2
    assert "new partner" in contacts.filter(has_text="SUSTech").inner_text()
    assert "known partner" in contacts.filter(has_text="Huawei Research").inner_text()
    martha.shot("monitoring-activity")
    activity = Activity.objects.get(title="Delegation to Shenzhen")
    assert sorted(activity.participants.values_list("name", flat=True)) == sorted(
        [members[0].name, members[2].name]
    )
    page.get_by_role("link", name="Cluster A").click()
    assert page.get_by_role("link", name="Delegation to Shenzhen").is_visible()
