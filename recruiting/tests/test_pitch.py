"""The Ready to Pitch flow against the fake Zoho CRM: record, latest CV, text, skills, matches."""

from pathlib import Path

import pytest

from integrations.zoho.errors import ZohoError
from recruiting.errors import CandidateNotFound
from recruiting.models import Candidate, Document, JobMatch, ProcessingStatus
from recruiting.services.pitch import candidate_ready_to_pitch_run, candidate_webhook_handle
from recruiting.tests import pdfs
from tests.fakes.server import Response
from tests.fixtures.recruiting import CV_TEXT, zoho_time

pytestmark = pytest.mark.django_db

READY = "Ready to Pitch"


def test_ready_to_pitch_brings_the_latest_cv_skills_and_ranked_matches(fake_zoho_crm, zoho_candidate, roles, cv_dir):
    # when
    report = candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then: the candidate, from Zoho's record
    assert report is not None and not report.problems, report.as_dict()
    candidate = Candidate.objects.get(zoho_contact_id=zoho_candidate)
    assert (candidate.name, candidate.email, candidate.phone) == (
        "Priya Sharma",
        "priya.sharma@example.com",
        "+61412345678",
    )
    assert (candidate.city, candidate.country, candidate.work_policy) == ("Parramatta", "AU", "hybrid")
    assert candidate.industries == ["Information Technology", "Finance", "Banking"]
    assert candidate.zoho_record["id"] == zoho_candidate
    assert candidate.processing_status == ProcessingStatus.DONE
    # the newest PDF, stored under CV_DOWNLOAD_DIR, read
    document = candidate.documents.get()
    assert document.file_name == "Priya_Sharma_CV.pdf"
    assert (Path(cv_dir) / document.path).read_bytes()[:5] == b"%PDF-"
    assert document.extraction_status == "extracted"
    assert "led a team of five" in document.text
    # skills, offline
    skills = set(candidate.skills.values_list("name", flat=True))
    assert {"Python", "Django", "PostgreSQL", "JavaScript", "React", "Docker"} <= skills
    assert set(candidate.skills.values_list("source", flat=True)) == {"rules"}
    # matches: open roles only, best first, explained
    matches = list(JobMatch.objects.filter(candidate=candidate).order_by("-score"))
    assert [m.role.title for m in matches] == ["Senior Python Engineer", "Data Engineer", "Registered Nurse"]
    best = matches[0]
    assert best.score > 80
    assert {"Python", "Django", "PostgreSQL"} <= set(best.explanation["matched_skills"])
    assert best.explanation["summary"]


def test_a_new_cv_replaces_the_old_one_on_disk_and_in_the_database(fake_zoho_crm, zoho_candidate, roles, cv_dir):
    # given
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    old = Document.objects.get()
    old_file = Path(cv_dir) / old.path
    fake_zoho_crm.add_attachment(
        "Contacts",
        zoho_candidate,
        "Priya CV 2025.pdf",
        pdfs.text_pdf(CV_TEXT + " Now also Terraform and Go."),
        created_time=zoho_time(0),
    )
    # when
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then
    document = Document.objects.get()
    assert document.file_name == "Priya CV 2025.pdf"
    assert not old_file.exists()
    assert (Path(cv_dir) / document.path).exists()
    assert "Terraform" in set(Candidate.objects.get().skills.values_list("name", flat=True))


def test_running_the_flow_again_downloads_nothing_more(fake_zoho_crm, zoho_candidate, roles):
    # given
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    downloads = sum(fake_zoho_crm.downloads.values())
    # when
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then
    assert sum(fake_zoho_crm.downloads.values()) == downloads == 1
    assert Document.objects.count() == 1
    assert JobMatch.objects.count() == 3


def test_a_second_delivery_with_an_unchanged_cv_asks_the_model_nothing_more(
    fake_zoho_crm, fake_openai, zoho_candidate, roles
):
    # given
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    skills = sorted(Candidate.objects.get().skills.values_list("pk", flat=True))
    # when
    report = candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then: Zoho's attachments were listed again, and nothing was downloaded, extracted or asked
    assert len(fake_zoho_crm.received("GET", r"/crm/v\d+/Contacts/\d+/Attachments")) == 2
    assert sum(fake_zoho_crm.downloads.values()) == 1
    assert len(fake_openai.chat_requests()) == 1
    assert sorted(Candidate.objects.get().skills.values_list("pk", flat=True)) == skills
    assert report is not None and "unchanged" in report.as_dict()["steps"][3]["detail"]


def test_skills_read_by_rules_are_read_again_by_the_model_once_there_is_a_key(
    settings, fake_zoho_crm, fake_openai, zoho_candidate, roles
):
    # given skills read offline
    key = settings.OPENAI_API_KEY
    settings.OPENAI_API_KEY = ""
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    settings.OPENAI_API_KEY = key
    # when
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then
    assert len(fake_openai.chat_requests()) == 1
    assert set(Candidate.objects.get().skills.values_list("source", flat=True)) == {"ai"}


def test_another_stage_only_updates_the_candidate(fake_zoho_crm, roles):
    # when
    report = candidate_webhook_handle(
        fields={"contact_id": "5725767000000999001", "role_success_stage": "Screening", "first_name": "Tom"}
    )
    # then
    assert report is None
    assert Candidate.objects.get().first_name == "Tom"
    assert fake_zoho_crm.received("GET", r"/crm/.*") == []
    assert not JobMatch.objects.exists()


def test_a_broken_pdf_fails_its_document_and_the_rest_goes_on(fake_zoho_crm, zoho_candidate, roles):
    # given
    fake_zoho_crm.add_attachment(
        "Contacts", zoho_candidate, "cv-final.pdf", b"%PDF-1.7\n1 0 obj <<", created_time=zoho_time(0)
    )
    # when
    report = candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then
    document = Document.objects.get()
    assert document.extraction_status == "failed"
    assert "unreadable PDF" in document.extraction_error
    candidate = Candidate.objects.get()
    assert candidate.processing_status == ProcessingStatus.PARTIAL
    assert "extract text" in candidate.processing_error
    assert report is not None and [s.name for s in report.steps if not s.ok] == ["extract text", "extract skills"]
    assert JobMatch.objects.filter(candidate=candidate).count() == 3  # scored from the profile alone


def test_a_cv_without_text_is_never_sent_to_the_model(fake_zoho_crm, fake_openai, zoho_candidate, roles):
    # given
    fake_zoho_crm.add_attachment("Contacts", zoho_candidate, "scan.pdf", pdfs.blank_pdf(), created_time=zoho_time(0))
    # when
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then
    assert Document.objects.get().extraction_status == "no_text"
    assert fake_openai.chat_requests() == []
    assert not Candidate.objects.get().skills.exists()


def test_with_a_key_the_model_extracts_and_names_are_folded(fake_zoho_crm, fake_openai, zoho_candidate, roles):
    # when
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then
    skills = {s.name: s for s in Candidate.objects.get().skills.all()}
    assert {"Python", "Django", "JavaScript", "PostgreSQL", "Leadership"} <= set(skills)
    assert skills["Python"].proficiency == "expert"
    assert {s.source for s in skills.values()} == {"ai"}
    assert len(fake_openai.chat_requests()) == 1


def test_a_failing_model_falls_back_to_the_offline_extractor(fake_zoho_crm, fake_openai, zoho_candidate, roles):
    # given
    fake_openai.fail_next(
        "POST",
        r".*",
        Response(
            500, {"error": {"message": "The server had an error", "type": "server_error", "param": None, "code": None}}
        ),
        times=10,
    )
    # when
    report = candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    # then
    skills = Candidate.objects.get().skills.all()
    assert {s.source for s in skills} == {"rules"}
    assert "Python" in {s.name for s in skills}
    assert report is not None and "offline extractor" in report.as_dict()["steps"][3]["detail"]


def test_no_cv_attachment_is_reported_and_matches_are_still_scored(fake_zoho_crm, roles):
    # given
    contact_id = fake_zoho_crm.add_contact(First_Name="Sam", Role_Success_Stage=READY, Mailing_City="Sydney")
    # when
    report = candidate_webhook_handle(fields={"contact_id": contact_id, "role_success_stage": READY})
    # then
    assert report is not None
    assert report.problems == ["download CV: no PDF or DOCX attachment in Zoho CRM"]
    assert [(s.name, s.skipped) for s in report.steps if not s.ok][1:] == [("extract skills", True)]
    assert JobMatch.objects.count() == 3


def test_a_zoho_outage_is_raised_for_a_retry_from_the_webhook(fake_zoho_crm, zoho_candidate, roles):
    # given
    fake_zoho_crm.fail_next_crm(500, times=10)
    # when / then
    with pytest.raises(ZohoError) as raised:
        candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    assert raised.value.retryable
    assert Candidate.objects.get().processing_status == ProcessingStatus.IDLE


def test_a_manual_run_reports_a_zoho_outage_instead(fake_zoho_crm, zoho_candidate, roles):
    # given
    candidate_webhook_handle(fields={"contact_id": zoho_candidate, "role_success_stage": READY})
    fake_zoho_crm.fail_next_crm(500, times=10)
    # when
    report = candidate_ready_to_pitch_run(contact_id=zoho_candidate)
    # then
    assert report.problems[0].startswith("fetch contact: Zoho CRM failed")
    assert Document.objects.get().extraction_status == "extracted"  # the CV we had is kept


def test_a_contact_nobody_knows_is_not_found(fake_zoho_crm):
    # when / then
    with pytest.raises(CandidateNotFound):
        candidate_ready_to_pitch_run(contact_id="5725767000000000404")
    assert not Candidate.objects.exists()


def test_without_zoho_crm_the_webhook_fields_are_enough_to_match(settings, roles):
    # given
    settings.ZOHO_CRM_CLIENT_ID = settings.ZOHO_CRM_REFRESH_TOKEN = ""
    # when
    report = candidate_webhook_handle(
        fields={"contact_id": "42", "role_success_stage": READY, "location": "Sydney", "industry_1_areas": ["Banking"]}
    )
    # then
    assert report is not None and report.problems == []
    assert report.steps[0].skipped and "not configured" in report.steps[0].detail
    assert JobMatch.objects.filter(candidate__zoho_contact_id="42").count() == 3
