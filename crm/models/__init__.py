"""CRM models, one module per concept, re-exported here.

Modules import each other only downwards: brands <- contacts <- pipelines <-
deals <- sequences <- emails, ai, backlinks, imports <- mailbox, review. Nothing here imports
services, admin or integrations.
"""

from crm.models.ai import AIDecisionLog, AIPromptTemplate, DecisionType, PromptType
from crm.models.backlinks import LINKED_STATUSES, BacklinkOpportunity, BacklinkStatus, LinkState
from crm.models.brands import Brand, ZohoDataCentre
from crm.models.contacts import Contact, ContactType, normalize_email
from crm.models.deals import (
    OPEN_STATUSES,
    ActivityType,
    ClosedDealDay,
    Deal,
    DealActivity,
    DealStageChange,
    DealStatus,
    DurationKind,
    StageChangeSource,
    StageDuration,
)
from crm.models.emails import EmailKind, EmailLog, EmailStatus
from crm.models.imports import MAX_STORED_ERRORS, ContactImport, ImportStatus
from crm.models.lookups import normalize_tags
from crm.models.mailbox import InboundEmail, InboundKind, MailboxState, OutboxFolder, OutboxMessage
from crm.models.pipelines import Pipeline, PipelineStage, PipelineType, StageOutcome, funnel_ranks
from crm.models.review import DailySummary
from crm.models.sequences import EmailSequence, SequenceStep
from crm.models.tasks import Task, TaskOrigin

__all__ = [
    "MAX_STORED_ERRORS",
    "OPEN_STATUSES",
    "AIDecisionLog",
    "AIPromptTemplate",
    "ActivityType",
    "BacklinkOpportunity",
    "BacklinkStatus",
    "LINKED_STATUSES",
    "LinkState",
    "Brand",
    "ClosedDealDay",
    "Contact",
    "ContactImport",
    "ContactType",
    "DailySummary",
    "Deal",
    "DealActivity",
    "DealStageChange",
    "DealStatus",
    "DecisionType",
    "DurationKind",
    "EmailKind",
    "EmailLog",
    "EmailSequence",
    "EmailStatus",
    "ImportStatus",
    "InboundEmail",
    "InboundKind",
    "MailboxState",
    "OutboxFolder",
    "OutboxMessage",
    "Pipeline",
    "PipelineStage",
    "PipelineType",
    "PromptType",
    "SequenceStep",
    "StageChangeSource",
    "StageDuration",
    "Task",
    "TaskOrigin",
    "StageOutcome",
    "ZohoDataCentre",
    "funnel_ranks",
    "normalize_email",
    "normalize_tags",
]
