import pytest

from crm.models import Brand
from crm.services.seed import seed_crm_pipelines


@pytest.fixture
def seeded(db):
    """The default brands, pipelines, sequences and prompts."""
    seed_crm_pipelines()
    return {brand.slug: brand for brand in Brand.objects.all()}


@pytest.fixture
def codeteki(seeded):
    return seeded["codeteki"]


@pytest.fixture
def sales(codeteki):
    return codeteki.pipelines.get(slug="sales")
