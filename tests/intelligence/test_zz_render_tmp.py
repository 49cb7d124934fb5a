from tests.intelligence.factories import item_form
from licensing.auth.models import Role
import re
def test_render(app, login, driver):
    police = login(Role.POLICE_SPOC)
    html = police.get("/intelligence/new").get_data(as_text=True)
    body = html.split('<main')[1]
    text = re.sub(r'\n\s*\n', '\n', body)
    open('/tmp/new.html','w').write(text)
    r = police.submit(f"/intelligence/new?identity_id={driver}", item_form(handling_code="C", source_evaluation="4"))
    open('/tmp/err.html','w').write(r.get_data(as_text=True).split('<main')[1])
    loc = police.submit(f"/intelligence/new?identity_id={driver}", item_form()).headers["Location"]
    open('/tmp/item.html','w').write(police.get(loc).get_data(as_text=True).split('<main')[1])
    police.submit("/intelligence/search", {"surname":"Mehmood","reason":"check render"})
    open('/tmp/search.html','w').write(police.submit("/intelligence/search", {"surname":"Mehmood","reason":"check render"}).get_data(as_text=True).split('<main')[1])
    open('/tmp/resp.html','w').write(police.get("/intelligence/responses").get_data(as_text=True).split('<main')[1])
