from commonbeat.oversight.tests.force_helpers import *  # noqa
from commonbeat.oversight.force import services, api

def test_smoke(dept):
    r = submitted(dept)
    print(r.state, r.unit, r.author_rank, r.neighbourhood)
    from commonbeat.oversight.force import chain
    print([n for n,u in dept.users.items() if chain.may_review(u, r)])
    print(api.versions(r))
    c = dept.client("author")
    resp = c.get(f"/oversight/force/{r.pk}/")
    print(resp.status_code)
    resp = c.get("/oversight/force/new/")
    print(resp.status_code)
    resp = c.post("/oversight/force/new/", form_data(dept))
    print(resp.status_code, resp.content.decode()[-3000:] if resp.status_code != 302 else resp.url)
    print(dept.client("sergeant").get(f"/oversight/force/{r.pk}/").content.decode()[:100])
    print(dept.client("sergeant").get("/oversight/force/queue.json").json())
