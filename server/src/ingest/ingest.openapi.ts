/** Examples of the ingest contract for the OpenAPI document (its schema comes from the contract table in shared/). */
export const INGEST_EXAMPLES = {
  lifecycle: {
    summary: 'A dossier received online, digitised and completed on time',
    value: {
      events: [
        {
          eventId: 'hcm-00004-2026-000123-r',
          type: 'received',
          occurredAt: '2026-01-05T08:30:00+07:00',
          dossierId: 'H01.00004-260105-0123',
          communeCode: '00004',
          procedureCode: '1.001193',
          sector: 'Hộ tịch',
          channel: 'online',
          fullOnlineEligible: true,
          resultRequired: true,
          feeRequired: true,
          dueAt: '2026-01-08T17:00:00+07:00',
        },
        { eventId: 'hcm-00004-2026-000123-p', type: 'paid', occurredAt: '2026-01-05T08:31:00+07:00', dossierId: 'H01.00004-260105-0123', communeCode: '00004', online: true },
        { eventId: 'hcm-00004-2026-000123-d', type: 'digitized', occurredAt: '2026-01-05T09:10:00+07:00', dossierId: 'H01.00004-260105-0123', communeCode: '00004' },
        { eventId: 'hcm-00004-2026-000123-c', type: 'completed', occurredAt: '2026-01-07T15:00:00+07:00', dossierId: 'H01.00004-260105-0123', communeCode: '00004', outcome: 'resolved' },
        { eventId: 'hcm-00004-2026-000123-e', type: 'result_issued', occurredAt: '2026-01-07T15:00:00+07:00', dossierId: 'H01.00004-260105-0123', communeCode: '00004', electronic: true },
      ],
    },
  },
  v11: {
    summary: 'Contract v1.1: optional attributes of the receipt and the result, and the dossier synced to the national portal',
    value: {
      events: [
        {
          eventId: 'hcm-00004-2026-000124-r',
          type: 'received',
          occurredAt: '2026-05-04T08:30:00+07:00',
          dossierId: 'H01.00004-260504-0124',
          communeCode: '00004',
          procedureCode: '1.001193',
          sector: 'Hộ tịch',
          channel: 'online',
          fullOnlineEligible: true,
          resultRequired: true,
          feeRequired: false,
          dueAt: '2026-05-07T17:00:00+07:00',
          reusedDigitizedData: true,
          citizenDataUsed: true,
          fromCitizenStore: false,
        },
        { eventId: 'hcm-00004-2026-000124-y', type: 'synced', occurredAt: '2026-05-04T08:45:00+07:00', dossierId: 'H01.00004-260504-0124', communeCode: '00004' },
        { eventId: 'hcm-00004-2026-000124-c', type: 'completed', occurredAt: '2026-05-06T10:00:00+07:00', dossierId: 'H01.00004-260504-0124', communeCode: '00004', outcome: 'resolved' },
        {
          eventId: 'hcm-00004-2026-000124-e',
          type: 'result_issued',
          occurredAt: '2026-05-06T10:00:00+07:00',
          dossierId: 'H01.00004-260504-0124',
          communeCode: '00004',
          electronic: true,
          syncedToCitizenStore: true,
        },
      ],
    },
  },
  feedback: {
    summary: 'Contract v1.1: citizen feedback (PAKN) received, answered and rated, and a follow-up of it (which makes the first one "followed up" and is not first-time itself)',
    value: {
      events: [
        {
          eventId: 'pakn-00004-2026-0042-r',
          type: 'feedback_received',
          occurredAt: '2026-05-04T09:00:00+07:00',
          feedbackId: 'PAKN-00004-2026-0042',
          communeCode: '00004',
          dueAt: '2026-05-14T17:00:00+07:00',
          topic: 'procedure',
          dossierId: 'H01.00004-260504-0124',
        },
        { eventId: 'pakn-00004-2026-0042-a', type: 'feedback_answered', occurredAt: '2026-05-08T10:00:00+07:00', feedbackId: 'PAKN-00004-2026-0042', communeCode: '00004' },
        { eventId: 'pakn-00004-2026-0042-s', type: 'feedback_rated', occurredAt: '2026-05-09T08:00:00+07:00', feedbackId: 'PAKN-00004-2026-0042', communeCode: '00004', satisfied: false },
        {
          eventId: 'pakn-00004-2026-0051-r',
          type: 'feedback_received',
          occurredAt: '2026-05-10T14:00:00+07:00',
          feedbackId: 'PAKN-00004-2026-0051',
          communeCode: '00004',
          dueAt: '2026-05-20T17:00:00+07:00',
          topic: 'staff',
          followUpOf: 'PAKN-00004-2026-0042',
        },
      ],
    },
  },
  mixed: {
    summary: 'A batch with a broken event: the good ones are still accepted',
    value: {
      events: [
        { eventId: 'x-1', type: 'digitized', occurredAt: '2026-01-05T09:10:00+07:00', dossierId: 'D-1', communeCode: '00004' },
        { eventId: 'x-2', type: 'completed', occurredAt: 'yesterday', dossierId: 'D-1', communeCode: '00004', outcome: 'resolved' },
      ],
    },
  },
};

export const INGEST_RESPONSE_EXAMPLE = {
  accepted: 1,
  duplicates: 0,
  conflicts: 0,
  rejected: 1,
  results: [
    { index: 0, eventId: 'x-1', status: 'accepted' },
    {
      index: 1,
      eventId: 'x-2',
      status: 'rejected',
      reason: 'occurredAt must be an ISO-8601 instant with an offset, e.g. 2026-01-05T08:30:00+07:00',
    },
  ],
};
