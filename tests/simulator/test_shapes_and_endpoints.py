"""Every endpoint the app uses answers with Syncro's real shape (docs/rules.md §2)."""

from __future__ import annotations

import httpx

from syncro_tui.simulator import Simulator

from .helpers import open_ticket


async def test_ticket_get_create_update_delete_are_wrapped(raw: httpx.AsyncClient, sim: Simulator) -> None:
    ticket = open_ticket(sim)
    got = (await raw.get(f"/tickets/{ticket['id']}")).json()
    assert set(got) == {"ticket"}
    detail = got["ticket"]
    for nested in ("comments", "line_items", "ticket_timers", "appointments"):
        assert isinstance(detail[nested], list)
    assert detail["customer"]["id"] == ticket["customer_id"]
    assert isinstance(detail["customer"]["contacts"], list)

    created = await raw.post("/tickets", json={"customer_id": ticket["customer_id"], "subject": "Printer jam"})
    assert created.status_code == 200 and set(created.json()) == {"ticket"}
    new = created.json()["ticket"]
    assert new["status"] == "New" and new["priority"] == "2 Normal"
    assert new["number"] != new["id"] and new["id"] > 100_000_000 and 31_000 < new["number"] < 40_000

    updated = await raw.put(f"/tickets/{new['id']}", json={"status": "In Progress", "priority": "1 High"})
    assert set(updated.json()) == {"ticket"}
    assert updated.json()["ticket"]["status"] == "In Progress"

    deleted = await raw.delete(f"/tickets/{new['id']}")
    assert deleted.json() == {"message": "Ticket was successfully deleted. "}
    assert (await raw.get(f"/tickets/{new['id']}")).status_code == 404


async def test_ticket_list_shape_and_paging(raw: httpx.AsyncClient) -> None:
    first = (await raw.get("/tickets")).json()
    assert set(first) == {"tickets", "meta"}
    assert len(first["tickets"]) == 25
    assert first["meta"]["page"] == 1 and first["meta"]["total_pages"] == 12  # 300 tickets
    assert "customer_business_then_name" in first["tickets"][0]
    big = (await raw.get("/tickets", params={"per_page": 500})).json()
    assert len(big["tickets"]) == 100  # per_page is capped at 100
    past = await raw.get("/tickets", params={"page": 99})
    assert past.status_code == 200 and past.json()["tickets"] == []


async def test_ticket_list_filters(raw: httpx.AsyncClient, sim: Simulator) -> None:
    async def numbers(**params) -> set[int]:
        body = (await raw.get("/tickets", params={"per_page": 100, **params})).json()
        assert body["meta"]["total_pages"] == 1
        return {t["number"] for t in body["tickets"]}

    tickets = sim.store.t("tickets").values()
    assert await numbers(status="Not Closed") == {t["number"] for t in tickets if t["status"] not in ("Resolved", "Invoiced", "Closed")}
    assert await numbers(status="New") == {t["number"] for t in tickets if t["status"] == "New"}
    sample = open_ticket(sim)
    assert await numbers(number=str(sample["number"])) == {sample["number"]}
    assert await numbers(customer_id=sample["customer_id"], status="Not Closed") == {
        t["number"] for t in tickets if t["customer_id"] == sample["customer_id"] and t["status"] not in ("Resolved", "Invoiced", "Closed")
    }
    assert await numbers(user_id=1851, status="New") == {t["number"] for t in tickets if t["user_id"] == 1851 and t["status"] == "New"}
    assert await numbers(mine="true", status="In Progress") == {
        t["number"] for t in tickets if t["user_id"] == 1843 and t["status"] == "In Progress"
    }
    assert sample["number"] in await numbers(query=sample["subject"].split()[0].lower(), status=sample["status"])
    # since_updated_at: only what changed after the stamp
    stamp = "2026-11-20T16:00:00Z"
    assert await numbers(since_updated_at=stamp) == set()
    await raw.put(f"/tickets/{sample['id']}", json={"priority": "3 Low"})
    assert await numbers(since_updated_at=stamp) == {sample["number"]}


async def test_comments_list_and_post(raw: httpx.AsyncClient, sim: Simulator) -> None:
    ticket = open_ticket(sim)
    posted = await raw.post(f"/tickets/{ticket['id']}/comment", json={"subject": "Update", "body": "Working on it", "hidden": True})
    assert set(posted.json()) == {"comment"}
    listed = (await raw.get(f"/tickets/{ticket['id']}/comments")).json()
    assert set(listed) == {"comments", "meta"}
    assert listed["meta"]["per_page"] == 10
    assert listed["comments"][-1]["body"] == "Working on it"


async def test_timer_line_item_endpoints_are_flat_or_wrapped_as_syncro(raw: httpx.AsyncClient, sim: Simulator) -> None:
    tid = open_ticket(sim)["id"]
    timer = (await raw.post(f"/tickets/{tid}/timer_entry", json={"start_at": "2026-11-20T14:00:00Z", "end_at": "2026-11-20T14:30:00Z", "product_id": 1190473})).json()
    assert "id" in timer and timer["ticket_id"] == tid  # flat
    updated = (await raw.put(f"/tickets/{tid}/update_timer_entry", json={"timer_entry_id": timer["id"], "notes": "fixed VPN"})).json()
    assert updated["notes"] == "fixed VPN" and "id" in updated  # flat
    removed = (await raw.post(f"/tickets/{tid}/delete_timer_entry", json={"timer_entry_id": timer["id"]})).json()
    assert removed == {"success": True}
    assert timer["id"] not in sim.store.t("timers")

    line = (await raw.post(f"/tickets/{tid}/add_line_item", json={"name": "SSD", "description": "1TB SSD", "quantity": 1, "price_retail": "129.00", "taxable": True})).json()
    assert line["price_retail"] == 129 and line["quantity"] == "1.0" and line["retail_cents"] == 12900  # flat
    patched = (await raw.put(f"/tickets/{tid}/update_line_item", json={"ticket_line_item_id": line["id"], "price_retail": "119.50"})).json()
    assert set(patched) == {"ticket_line_item"} and patched["ticket_line_item"]["price_retail"] == 119.5
    gone = (await raw.post(f"/tickets/{tid}/remove_line_item", json={"ticket_line_item_id": line["id"]})).json()
    assert gone == {"success": True, "message": ""}


async def test_customers_contacts_assets(raw: httpx.AsyncClient, sim: Simulator) -> None:
    listed = (await raw.get("/customers", params={"query": "dental"})).json()
    assert set(listed) == {"customers", "meta"} and listed["meta"]["total_entries"] >= 1
    assert all("dental" in c["business_then_name"].lower() for c in listed["customers"])
    auto = (await raw.get("/customers/autocomplete", params={"query": "bright"})).json()
    assert set(auto) == {"customers"} and auto["customers"][0]["business_name"] == "Brightline Dental"
    cid = auto["customers"][0]["id"]
    customer = (await raw.get(f"/customers/{cid}")).json()
    assert set(customer) == {"customer"}
    body = customer["customer"]
    assert body["contacts"] and "prepay_hours" in body and "address" in body and "city" in body
    contacts = (await raw.get("/contacts", params={"customer_id": cid})).json()
    assert {c["id"] for c in contacts["contacts"]} == {c["id"] for c in body["contacts"]}
    contact = (await raw.get(f"/contacts/{body['contacts'][0]['id']}")).json()
    assert contact["name"] == body["contacts"][0]["name"]  # flat, no wrapper
    assets = (await raw.get("/customer_assets", params={"customer_id": cid})).json()
    assert assets["assets"] and all(a["customer_id"] == cid for a in assets["assets"])
    name = assets["assets"][0]["name"]
    found = (await raw.get("/customer_assets", params={"customer_id": cid, "query": name.lower()})).json()
    assert [a["name"] for a in found["assets"]] == [name]


async def test_products(raw: httpx.AsyncClient) -> None:
    products = (await raw.get("/products", params={"per_page": 100})).json()
    assert {p["id"] for p in products["products"]} >= {1190473, 26118, 573881, 26184, 1049360, 9269129, 9269124, 26117, 68055}
    product = (await raw.get("/products/26184")).json()
    assert set(product) == {"product"} and product["product"]["price_retail"] == 262.5


async def test_appointments_crud_and_types(raw: httpx.AsyncClient, sim: Simulator) -> None:
    ticket = open_ticket(sim)
    listed = (await raw.get("/appointments", params={"date_from": "2026-11-20", "date_to": "2026-11-20"})).json()
    assert listed["appointments"], "the demo has appointments today"
    assert "summary" in listed["appointments"][0]  # flat items
    created = await raw.post("/appointments", json={"summary": "Onsite visit", "start_at": "2026-11-23T15:00:00Z", "end_at": "2026-11-23T16:30:00Z", "ticket_id": ticket["id"], "appointment_type_id": 4322})
    assert created.status_code == 201 and set(created.json()) == {"appointment"}
    appt = created.json()["appointment"]
    assert appt["customer_id"] == ticket["customer_id"] and appt["duration"] == "1.5"
    got = (await raw.get(f"/appointments/{appt['id']}")).json()
    assert got["appointment"]["start_at"] == "2026-11-23T15:00:00.000Z"
    moved = (await raw.put(f"/appointments/{appt['id']}", json={"start_at": "2026-11-24T15:00:00Z", "end_at": "2026-11-24T16:30:00Z"})).json()
    assert moved["appointment"]["start_at"] == "2026-11-24T15:00:00.000Z"
    deleted = await raw.delete(f"/appointments/{appt['id']}")
    assert deleted.status_code == 204 and deleted.content == b""  # [quirk] some deletes answer 204, no body
    types = (await raw.get("/appointment_types")).json()
    assert {t["name"] for t in types["appointment_types"]} == {"In Shop", "Onsite", "Phone Call", "Reminder", "Remote"}


async def test_me_users_and_settings(raw: httpx.AsyncClient) -> None:
    me = (await raw.get("/me")).json()
    assert me["user_id"] == 1843 and me["user_name"] == "Dana Whitfield" and "permissions" in me  # flat
    users = (await raw.get("/users")).json()
    assert [1843, "Dana Whitfield"] in users["users"]
    ts = (await raw.get("/tickets/settings")).json()
    assert "Waiting on Customer" in ts["ticket_status_list"] and ts["default_labor_product_id"] == 1190473
    assert {"id": 1843, "name": "Dana Whitfield"} in ts["users"]
    settings = (await raw.get("/settings")).json()
    assert settings["locale"]["time_zone"] == "America/Chicago"
    assert "Not determined" in settings["ticket"]["problem_types"]
    assert "2 Normal" in settings["ticket"]["priorities"]


async def test_invoices_list_by_ticket(raw: httpx.AsyncClient, sim: Simulator) -> None:
    invoiced = next(t for t in sim.store.t("tickets").values() if t["status"] == "Invoiced")
    listed = (await raw.get("/invoices", params={"ticket_id": invoiced["id"]})).json()
    # [quirk] live accounts list invoices in a minimal shape: no ticket_id, subtotal or lines
    assert [set(i) for i in listed["invoices"]] == [{"id", "number", "total", "status", "created_at", "customer_id"}]
    assert sim.store.t("invoices")[listed["invoices"][0]["id"]]["ticket_id"] == invoiced["id"]
    one = (await raw.get(f"/invoices/{listed['invoices'][0]['id']}")).json()
    assert set(one) == {"invoice"} and one["invoice"]["line_items"]
    by_number = (await raw.get(f"/invoices/{listed['invoices'][0]['number']}")).json()
    assert by_number["invoice"]["id"] == listed["invoices"][0]["id"]


def spec_example(path: str) -> dict:
    import json
    from pathlib import Path

    spec = json.loads((Path(__file__).parents[1] / "api" / "spec" / "syncro-openapi.json").read_text())
    content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return next(iter(content["examples"].values()))["value"]


async def test_canned_responses_list_settings_and_the_permission_refusal(raw: httpx.AsyncClient, sim: Simulator) -> None:
    """Issue 36: the list and the settings in the keys of the spec's examples; a key whose group lacks "Ticket Canned
    Responses - Manage" is refused the list (Syncro's 401 permission answer) and told can_manage false."""
    listed = (await raw.get("/canned_responses")).json()
    example = spec_example("/canned_responses")
    assert set(listed) == set(example)
    assert all(set(item) == set(example["canned_responses"][0]) for item in listed["canned_responses"])
    assert [c["title"] for c in (await raw.get("/canned_responses", params={"query": "password"})).json()[
        "canned_responses"]] == ["Temporary password"]
    settings = (await raw.get("/canned_responses/settings")).json()
    assert set(settings) == set(spec_example("/canned_responses/settings")) and settings["can_manage"] is True
    marcus = {"Authorization": "Bearer demo-key-marcus"}
    refused = await raw.get("/canned_responses", headers=marcus)
    assert refused.status_code == 401 and "permissions" in refused.json()["error"]
    assert (await raw.get("/canned_responses/settings", headers=marcus)).json()["can_manage"] is False
