"""The seed documents' own commands, typed as written, against a running server and the real
database: the management commands with the flags the guides show, the shell snippets through
`manage.py shell -c`, and the curl lines (the documents' placeholders filled in, the host
pointed at the test server). Where a line cannot work as written, the README says what to type
instead, and the test runs that.

Seeds: ../shared/seeds/ (crm-ai-autopilot-workflow-guide.md, ready-to-pitch-webhook-system.md,
chatwoot-integration-summary.md, mycrm-new-features.md).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.cache import cache

from crm.models import Brand, Contact, ContactImport, Deal, OutboxMessage
from crm.services.deals import deal_move_to_stage
from crm.tests.factories import ContactFactory, DealFactory
from crm_site.tests.factories import UserFactory
from crm_site.tokens import api_token_create
from documents.models import Document
from hub.models import Webhook
from messaging.models import WhatsAppMessage
from recruiting.models import Candidate
from recruiting.services.candidates import candidate_upsert
from recruiting.services.roles import role_upsert
from recruiting.tests import pdfs
from tests.fakes.zoho import FakeZoho
from tests.fakes.zoho_crm import FakeZohoCRM
from tests.fixtures.celery import database_url
from tests.fixtures.fakes import zoho_crm_env, zoho_env
from tests.fixtures.processes import ROOT, child_env, gunicorn_server
from webhooks.handlers import HANDLERS
from webhooks.models import InboundEvent
from webhooks.services import inbound_event_process

pytestmark = pytest.mark.django_db(transaction=True)  # the commands and the server are other processes

APP_SECRET = "seed-guides-app-secret"
WEBHOOK_SECRET = "seed-guides-webhook-secret"
README = (ROOT / "README.md").read_text()

# The workflow guide's CSV sample (its "CSV Format" section), and a backlink file in the same shape.
CONTACTS_CSV = """email,name,company,website,domain_authority,notes,tags
john@example.com,John Smith,Acme Corp,https://acme.com,45,Met at conference,"technology, startup"
sarah@cafe.com,Sarah Jones,Local Cafe,https://localcafe.com,28,Small business owner,"hospitality, local"
"""
BACKLINKS_CSV = """email,name,company,website,domain_authority,notes,tags
editor@techblog.example,Sarah Lee,Australian Tech Blog,https://techblog.example,52,Guest posts welcome,"tech, blog"
"""


@pytest.fixture(scope="module")
def broker_dir(tmp_path_factory):
    """The commands publish to a broker of their own, so nothing they queue reaches another run."""
    return tmp_path_factory.mktemp("guide-broker")


@pytest.fixture(scope="module")
def environment(django_db_setup, broker_dir):
    return child_env(
        DATABASE_URL=database_url(settings.DATABASES["default"]),
        CELERY_BROKER_URL="filesystem://localhost//",
        CELERY_FILESYSTEM_DIR=str(broker_dir),
        WHATSAPP_APP_SECRET=APP_SECRET,
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        PUBLIC_FETCH_ALLOWED_NETWORKS="",
    )


@pytest.fixture(scope="module")
def server(environment, django_db_blocker):
    """The product's web process (gunicorn) on the test database."""
    with django_db_blocker.unblock(), gunicorn_server(environment) as url:
        yield url


def typed(line: str, *, env: dict[str, str], cwd: Path = ROOT, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """Run a documented command line as a user types it ("python manage.py ..." runs this
    checkout's manage.py with this interpreter)."""
    words = shlex.split(line)
    if words[:2] == ["python", "manage.py"]:
        words = [sys.executable, str(ROOT / "manage.py"), *words[2:]]
    return subprocess.run(words, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def at(line: str, server: str) -> str:
    return line.replace("http://localhost:8000", server)


# --- the autopilot workflow guide --------------------------------------------------------------------


def test_the_guide_s_csv_imports_run_as_typed(environment, tmp_path):
    # given the guide's files and its seeded brands
    (tmp_path / "contacts.csv").write_text(CONTACTS_CSV)
    (tmp_path / "backlinks.csv").write_text(BACKLINKS_CSV)
    assert typed("python manage.py seed_crm_pipelines", env=environment).returncode == 0
    lines = [
        "python manage.py import_contacts contacts.csv --brand codeteki --preview",
        "python manage.py import_contacts contacts.csv --brand codeteki --type lead",
        'python manage.py import_contacts contacts.csv --brand codeteki --type lead --source "Conference 2024" '
        "--create-deals --pipeline sales",
        "python manage.py import_contacts backlinks.csv --brand codeteki --type backlink_target --create-deals "
        "--pipeline backlink",
    ]
    # when
    results = [typed(line, env=environment, cwd=tmp_path) for line in lines]
    # then each ran, and the data is what the guide says
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    codeteki = Brand.objects.get(slug="codeteki")
    john = Contact.objects.get(brand=codeteki, email="john@example.com")
    assert (john.name, john.company, john.domain_authority, john.tags) == (
        "John Smith", "Acme Corp", 45, ["technology", "startup"]
    )  # fmt: skip
    assert Deal.objects.filter(pipeline__slug="sales", contact__brand=codeteki).count() == 2
    editor = Contact.objects.get(brand=codeteki, email="editor@techblog.example")
    assert editor.contact_type == "backlink_target"
    assert Deal.objects.filter(pipeline__slug="backlink", contact=editor).count() == 1
    assert "2" in results[0].stdout  # the preview counts the rows it would import


SHELL_ZOHO_CHECK = """
from crm.services.email_service import get_email_service
from crm.models import Brand
brand = Brand.objects.get(slug='codeteki')
service = get_email_service(brand)
print(f'Enabled: {service.enabled}')
print(f'Token: {service._get_access_token()[:20] if service._get_access_token() else \\"FAILED\\"}')"""


def shell_line(code: str) -> str:
    """`python manage.py shell -c "<code>"`, the code as the guide prints it between the quotes."""
    return f'python manage.py shell -c "{code}"'


def test_the_zoho_credentials_snippet_on_the_outbox_prints_failed(environment):
    # given a brand with no Zoho credentials (it sends to the local outbox)
    assert typed("python manage.py seed_crm_pipelines", env=environment).returncode == 0
    # when
    result = typed(shell_line(SHELL_ZOHO_CHECK), env=environment)
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Enabled: True", "Token: FAILED"]


def test_the_zoho_credentials_snippet_with_zoho_prints_the_token_s_start(environment):
    # given the ZOHO_* settings of the guide's .env, pointed at a fake Zoho
    assert typed("python manage.py seed_crm_pipelines", env=environment).returncode == 0
    cache.clear()  # no access token cached by another test (the command shares the file cache)
    with FakeZoho() as zoho:
        env = {**environment, **zoho_env(zoho)}
        # when
        result = typed(shell_line(SHELL_ZOHO_CHECK), env=env)
        # then
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == "Enabled: True"
        token = result.stdout.splitlines()[1].removeprefix("Token: ")
        assert token.startswith("1000.fake-access") and token != "FAILED"  # at most 20 characters of it
        assert len(token) <= 20 and zoho.token_grants == 1


def test_the_test_email_snippet_sends_to_the_outbox(environment):
    assert typed("python manage.py seed_crm_pipelines", env=environment).returncode == 0
    code = """
from crm.models import Brand
from crm.services.email_service import get_email_service
brand = Brand.objects.get(slug='codeteki')
service = get_email_service(brand)
result = service.send('test@example.com', 'Test', '<p>Test email</p>')
print(result)"""

    result = typed(shell_line(code), env=environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("SendResult(provider='outbox'")
    assert OutboxMessage.objects.get().to_address == "test@example.com"


def test_the_openai_key_snippet_runs(environment):
    code = """
from django.conf import settings
from django.core.cache import cache
print(f'API Key: {settings.OPENAI_API_KEY[:10]}...')"""

    result = typed(shell_line(code), env={**environment, "OPENAI_API_KEY": ""})

    assert (result.returncode, result.stdout.strip()) == (0, "API Key: ...")


def test_the_task_snippets_queue_their_tasks(environment, broker_dir):
    # given a deal and an import to name in place of the guide's 'uuid-here'
    brand = Brand.objects.create(name="Guide", slug="guide", from_email="sales@guide.example")
    deal = DealFactory(contact=ContactFactory(brand=brand))
    contact_import = ContactImport.objects.create(brand=brand, file="imports/x.csv")
    code = f"""
from crm.tasks import process_pending_deals, send_scheduled_emails
process_pending_deals.delay()
send_scheduled_emails.delay()
from crm.tasks import queue_deal_email
queue_deal_email.delay(deal_id='{deal.pk}', email_type='followup')
from crm.tasks import process_contact_import
process_contact_import.delay(import_id='{contact_import.pk}')"""
    # when
    result = typed(shell_line(code), env=environment)
    # then the four tasks wait in the broker for a worker
    assert result.returncode == 0, result.stderr
    queued = [json.loads(path.read_text())["headers"]["task"] for path in (broker_dir / "queue").glob("*.msg")]
    assert sorted(queued) == sorted([
        "crm.tasks.process_pending_deals", "crm.tasks.send_scheduled_emails", "crm.tasks.queue_deal_email",
        "crm.tasks.process_contact_import",
    ])  # fmt: skip


# --- the Ready to Pitch webhook system ---------------------------------------------------------------


@pytest.fixture
def zoho_crm(tmp_path):
    with FakeZohoCRM() as fake:
        yield fake


def ready_candidate(crm: FakeZohoCRM, pdf: bytes) -> str:
    contact_id = crm.add_contact(
        First_Name="Priya", Last_Name="Sharma", Mailing_City="Sydney", Mailing_Country="Australia",
        Role_Success_Stage="Ready to Pitch", Work_Policy="Hybrid", Industry_1_Areas=["Information Technology"],
    )  # fmt: skip
    crm.add_attachment("Contacts", contact_id, "Priya Sharma CV.pdf", pdf)
    role_upsert(
        title="Backend Engineer", company="Canva",
        data={"industries": "Information Technology", "location": "Sydney NSW", "work_policy": "hybrid",
              "required_skills": "Python, Django"},
    )  # fmt: skip
    return contact_id


def test_test_ready_to_pitch_runs_as_typed_and_cleans_up(environment, zoho_crm, tmp_path):
    # given a contact at Ready to Pitch with a CV in Zoho CRM
    contact_id = ready_candidate(zoho_crm, pdfs.text_pdf("Senior engineer: Python, Django and PostgreSQL."))
    env = {**environment, **zoho_crm_env(zoho_crm), "CV_DOWNLOAD_DIR": str(tmp_path / "cvs")}
    # when
    result = typed(f"python manage.py test_ready_to_pitch {contact_id} --verbose --cleanup", env=env)
    # then every step ran, the details were printed, and nothing is left behind
    assert result.returncode == 0, result.stdout + result.stderr
    for step in (
        "ok   fetch contact",
        "ok   download CV",
        "ok   extract text",
        "ok   extract skills",
        "ok   match roles",
    ):
        assert step in result.stdout
    assert "Python" in result.stdout and "Backend Engineer at Canva" in result.stdout
    assert "cleanup: removed the candidate" in result.stdout
    assert not Candidate.objects.filter(zoho_contact_id=contact_id).exists()
    assert not any((tmp_path / "cvs").rglob("*.pdf"))


def test_test_ready_to_pitch_exits_non_zero_when_a_step_fails(environment, zoho_crm, tmp_path):
    contact_id = ready_candidate(zoho_crm, b"%PDF-1.7 this is not a PDF at all")
    env = {**environment, **zoho_crm_env(zoho_crm), "CV_DOWNLOAD_DIR": str(tmp_path / "cvs")}

    result = typed(f"python manage.py test_ready_to_pitch {contact_id} --verbose --cleanup", env=env)

    assert result.returncode == 1
    assert "FAIL extract text" in result.stdout
    assert "step(s) failed" in result.stderr and "extract text" in result.stderr
    assert not Candidate.objects.filter(zoho_contact_id=contact_id).exists()  # cleaned up all the same


def test_test_ready_to_pitch_offline_on_a_demo_candidate_skips_what_needs_zoho(environment):
    assert typed("python manage.py seed_recruiting_demo", env=environment).returncode == 0

    result = typed("python manage.py test_ready_to_pitch demo-2 --verbose --cleanup", env=environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "skip fetch contact: Zoho CRM is not configured" in result.stdout
    assert "ok   match roles" in result.stdout and "FAIL" not in result.stdout
    assert Candidate.objects.get(zoho_contact_id="demo-2").skills.exists()  # a demo candidate keeps its skills


def test_the_curl_lines_need_the_token_the_readme_adds(environment, server):
    # given the document's example contact, known here (the server runs without Zoho CRM)
    contact_id = "123456789"
    candidate_upsert(contact_id=contact_id, fields={"first_name": "Priya", "location": "Sydney"})
    lines = [
        'curl -X POST http://localhost:8000/webhook/test-ready-to-pitch/ -H "Content-Type: application/json" '
        f'-d \'{{"contact_id": "{contact_id}"}}\'',
        f"curl -X POST http://localhost:8000/webhook/manual-cv-extraction/{contact_id}/",
        f"curl http://localhost:8000/webhook/jobs/matches/{contact_id}/?limit=5",
        f"curl http://localhost:8000/webhook/skills/{contact_id}/",
    ]
    token = api_token_create(user=UserFactory(username="script", is_staff=True))[1]
    # when each is typed as written, then with the README's token header
    as_written = [typed(at(line, server) + " -s -w '\\n%{http_code}'", env=environment) for line in lines]
    with_token = [
        typed(at(line, server) + f" -s -H 'Authorization: Token {token}' -w '\\n%{{http_code}}'", env=environment)
        for line in lines
    ]
    # then without it each is a 401 that says what is missing, and with it each works
    assert [r.stdout.rsplit("\n", 1)[1] for r in as_written] == ["401"] * 4
    assert "Authentication credentials were not provided" in as_written[0].stdout
    assert "Authorization: Token <token>" in README
    assert [r.stdout.rsplit("\n", 1)[1] for r in with_token] == ["200", "202", "200", "200"]
    answers = [json.loads(r.stdout.rsplit("\n", 1)[0]) for r in with_token]
    assert answers[0]["status"] == "accepted"
    assert answers[1]["status"] == "queued"  # a worker runs the CV processing
    assert answers[2]["contact_id"] == answers[3]["contact_id"] == contact_id


# --- the Chatwoot integration summary ----------------------------------------------------------------


SUMMARY_CURL = (
    "curl -X POST http://localhost:8000/webhook/whatsapp "
    """-d '{"messages": [{"from": "31612345678", "text": {"body": "Hallo"}}]}'"""
)


def test_the_summary_s_unsigned_curl_is_refused_with_a_401_not_a_500(environment, server):
    result = typed(at(SUMMARY_CURL, server) + " -s -w '\\n%{http_code}'", env=environment)

    body, status = result.stdout.rsplit("\n", 1)
    assert (status, json.loads(body)) == ("401", {"error": "unauthorized"})
    assert not InboundEvent.objects.exists()


def test_send_test_whatsapp_is_the_summary_s_end_to_end_test_in_one_command(environment, server):
    # when
    result = typed(
        "python manage.py send_test_whatsapp --phone +31612345678 --text Hallo",
        env={**environment, "SITE_URL": server},
    )
    # then the signed delivery is accepted and, processed, is a message from +31612345678
    assert result.returncode == 0, result.stderr
    assert "answered 200" in result.stdout
    event = InboundEvent.objects.get()
    inbound_event_process(event_id=event.pk, handlers=HANDLERS)
    message = WhatsAppMessage.objects.get()
    assert (message.sender_phone, message.text) == ("+31612345678", "Hallo")
    assert "send_test_whatsapp --phone +31612345678" in README


def test_the_summary_s_body_signed_as_the_readme_shows_is_a_message(environment, server):
    # given the README's signed form of the summary's curl line, as a user copies it
    signed = "BODY=" + README.split("```sh\nBODY=", 1)[1].split("```", 1)[0]
    # when
    result = subprocess.run(
        ["bash", "-c", at(signed, server)], env=environment, capture_output=True, text=True, timeout=30, check=False
    )
    # then
    assert json.loads(result.stdout) == {"status": "ok", "stored": 1}
    event = InboundEvent.objects.get()
    assert event.external_id.startswith("content:")
    inbound_event_process(event_id=event.pk, handlers=HANDLERS)
    assert WhatsAppMessage.objects.get().text == "Hallo"


# --- the extra features document ---------------------------------------------------------------------


def test_migrations_are_current_as_the_document_s_makemigrations_finds(environment):
    made = typed("python manage.py makemigrations --check --dry-run", env=environment)
    migrated = typed("python manage.py migrate", env=environment)

    assert made.returncode == 0 and "No changes detected" in made.stdout
    assert migrated.returncode == 0


def test_a_script_posting_a_form_with_a_bearer_token_is_served(server, environment):
    # given the document's way of calling the API: requests.post(url, {...}, headers={Bearer})
    user = UserFactory(username="script", is_superuser=True, is_staff=True)
    token = api_token_create(user=user)[1]
    brand = Brand.objects.create(name="Guide", slug="guide", from_email="sales@guide.example")
    # when
    response = requests.post(
        f"{server}/api/crm/contacts/",
        {"brand": brand.pk, "email": "lead@example.com", "name": "A Lead", "tags": ["q4", "launch"]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    # then
    assert response.status_code == 201, response.text
    assert response.json()["tags"] == ["q4", "launch"]


ANALYTICS_SCRIPT = """
import requests

response = requests.get(
    'http://localhost:8000/api/core/analytics/pipeline_analytics/',
    headers={'Authorization': 'Bearer YOUR_TOKEN'}
)

analytics = response.json()
print(f"Pipeline Health Score: {analytics['pipeline_health']['overall_health_score']}")
print(f"Win Rate: {analytics['pipeline_health']['win_rate']}%")
"""


def test_the_document_s_analytics_script_prints_the_health_score_and_win_rate(environment, server):
    # given deals won and lost, and a staff user's token in place of YOUR_TOKEN
    user = UserFactory(username="analyst", is_superuser=True, is_staff=True)
    token = api_token_create(user=user)[1]
    for status in ("won", "won", "lost"):
        deal = DealFactory()
        deal_move_to_stage(deal=deal, stage=deal.pipeline.stages.get(outcome=status))
    script = at(ANALYTICS_SCRIPT, server).replace("YOUR_TOKEN", token)
    # when the script runs as written
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    # then it prints what it promises
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Pipeline Health Score: ") and 0 <= int(lines[0].split(": ")[1]) <= 100
    assert lines[1] == "Win Rate: 66.7%"


UPLOAD_SCRIPT = """
with open('contract.pdf', 'rb') as f:
    response = requests.post('http://localhost:8000/api/documents/documents/', {
        'name': 'Client Contract',
        'category': 'contract',
        'opportunity': opportunity_id,
        'access_level': 'confidential'
    }, files={'file': f}, headers={'Authorization': 'Bearer YOUR_TOKEN'})
"""


def test_the_document_s_upload_script_files_a_confidential_contract_on_the_opportunity(environment, server, tmp_path):
    # given a deal, a contract.pdf beside the script and a staff user's token in place of YOUR_TOKEN
    user = UserFactory(username="uploader", is_superuser=True, is_staff=True)
    token = api_token_create(user=user)[1]
    deal = DealFactory()
    (tmp_path / "contract.pdf").write_bytes(pdfs.text_pdf("Client contract: twelve months of website care."))
    script = f"import requests\nopportunity_id = '{deal.pk}'\n" + at(UPLOAD_SCRIPT, server).replace("YOUR_TOKEN", token)
    script += "\nprint(response.status_code, response.json()['id'])"
    # when the script runs as written
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path
    )
    # then the contract is filed on the deal, confidential
    assert result.returncode == 0, result.stderr
    status, document_id = result.stdout.split()
    assert status == "201"
    document = Document.objects.get(pk=document_id)
    assert (document.name, document.category, document.deal_id, document.access_level) == (
        "Client Contract", "contract", deal.pk, "confidential",
    )  # fmt: skip


WEBHOOK_SCRIPT = """
response = requests.post('http://localhost:8000/api/integrations/webhooks/', {
    'name': 'Slack Notifications',
    'url': 'https://hooks.slack.com/services/YOUR/WEBHOOK/URL',
    'events': ['lead.created', 'opportunity.won'],
    'secret_key': 'your-secret-key'
}, headers={'Authorization': 'Bearer YOUR_TOKEN'})
"""


def test_the_document_s_webhook_script_makes_a_slack_webhook_and_answers_its_real_secret(environment, server):
    # given a staff user's token in place of YOUR_TOKEN
    user = UserFactory(username="integrator", is_superuser=True, is_staff=True)
    token = api_token_create(user=user)[1]
    script = "import requests\n" + at(WEBHOOK_SCRIPT, server).replace("YOUR_TOKEN", token)
    script += "\nprint(response.status_code, response.json()['id'], response.json()['secret'][:6])"
    # when the script runs as written (a form post, `events` repeated)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    # then the webhook posts Slack messages for both events; the secret is ours (secret_key is not one)
    assert result.returncode == 0, result.stderr
    status, webhook_id, prefix = result.stdout.split()
    assert (status, prefix) == ("201", "whsec_")
    webhook = Webhook.objects.get(pk=webhook_id)
    assert (webhook.format, webhook.events) == ("slack", ["lead.created", "opportunity.won"])
    assert webhook.secret != "your-secret-key"


# --- what the README says to type instead ---------------------------------------------------------------


@pytest.mark.parametrize(
    "instead",
    [
        "celery -A crm_site worker -l info",
        "celery -A crm_site beat -l info",
        "docker compose logs -f worker",
        "python manage.py send_test_whatsapp --phone +31612345678 --text Hallo",
        "Authorization: Token <token>",
    ],
)
def test_the_readme_says_what_to_type_where_a_seed_line_cannot_work(instead):
    assert instead in README
