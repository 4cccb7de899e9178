"""What is stored: Peewee models on one database proxy, connecting, and migrations."""

from .answers import (
    Dispute,
    DisputeState,
    Promise,
    PromiseDocument,
    PromiseState,
    UndeliveredStep,
)
from .base import BaseModel, database
from .collection import (
    CollectionEvent,
    DocumentStep,
    EventKind,
    FailingAddress,
    Message,
    MessageChannel,
    MessageKind,
    MessageRecipient,
    MessageState,
    MessageText,
    MessageVariant,
    PassRun,
    RecipientState,
    StepKind,
    with_texts,
)
from .contractor import KINDS, Contractor, split_emails
from .document import PAYMENT_METHODS, Document, Payment
from .inbox import (
    Decision,
    InboxDocument,
    InboxKind,
    InboxMessage,
    InboxState,
    MailboxState,
    MatchedBy,
)
from .ksef import KsefCorrection
from .ksef_sync import KsefInvoice, KsefSyncState
from .law import EurRate, InterestRate
from .lease import WorkerLease
from .letters import Letter, LetterBatch, ReturnReason
from .recovery import (
    Agreement,
    CaseCommission,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    RecoveryCase,
    RecoveryOrder,
)
from .registry import RegistryClaim, RegistryReport
from .settings import Setting
from .statement import (
    BankStatement,
    ContractorAccount,
    LineStatus,
    StatementLine,
    StatementPayment,
)
from .templates import TemplateOverride
from .watched import WatchedFile

ALL_MODELS = [
    Contractor,
    Document,
    Payment,
    Setting,
    Message,
    MessageText,
    DocumentStep,
    CollectionEvent,
    PassRun,
    TemplateOverride,
    WorkerLease,
    Agreement,
    RecoveryOrder,
    RecoveryCase,
    CaseDocument,
    CaseCommission,
    CaseStatusChange,
    InterestRate,
    EurRate,
    KsefCorrection,
    BankStatement,
    StatementLine,
    StatementPayment,
    ContractorAccount,
    MessageRecipient,
    FailingAddress,
    WatchedFile,
    KsefSyncState,
    KsefInvoice,
    MailboxState,
    InboxMessage,
    InboxDocument,
    Promise,
    PromiseDocument,
    Dispute,
    UndeliveredStep,
    LetterBatch,
    Letter,
    RegistryReport,
    RegistryClaim,
]

__all__ = [
    "ALL_MODELS", "Agreement", "BaseModel", "CaseCommission", "CaseDocument", "CaseStatus",
    "CaseStatusChange",
    "RecoveryCase", "RecoveryOrder", "CollectionEvent", "Contractor", "Document", "DocumentStep",
    "EurRate", "EventKind", "InterestRate", "KINDS", "KsefCorrection", "Message", "MessageKind",
    "MessageState",
    "PAYMENT_METHODS", "PassRun",
    "Payment", "Setting", "StepKind", "TemplateOverride", "WorkerLease", "database",
    "split_emails",
    "BankStatement", "ContractorAccount", "LineStatus", "StatementLine", "StatementPayment",
    "FailingAddress", "MessageRecipient", "RecipientState", "WatchedFile",
    "KsefInvoice", "KsefSyncState",
    "Decision", "Dispute", "DisputeState", "InboxDocument", "InboxKind", "InboxMessage",
    "InboxState", "MailboxState", "MatchedBy", "Promise", "PromiseDocument", "PromiseState",
    "UndeliveredStep",
    "Letter", "LetterBatch", "MessageChannel", "MessageVariant", "ReturnReason",
    "RegistryClaim", "RegistryReport", "MessageText", "with_texts",
]
