/**
 * The JSON Schema (draft-07) of `flagops history --format json` (historyVersion 1). A field is added in a new minor
 * shape only; a change that breaks readers bumps `historyVersion`.
 */
const state = { anyOf: [{ type: 'boolean' }, { type: 'object' }, { type: 'null' }] } as const;
const sha = { type: 'string', pattern: '^[0-9a-f]{7,64}$' } as const;

export const HISTORY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'flagops history',
  type: 'object',
  required: ['command', 'historyVersion', 'ok', 'flags', 'findings'],
  additionalProperties: false,
  properties: {
    command: { const: 'history' },
    historyVersion: { const: 1 },
    ok: { type: 'boolean' },
    findings: { type: 'array', items: { type: 'object', required: ['code', 'severity', 'message'] } },
    flags: {
      type: 'array',
      items: {
        type: 'object',
        required: ['flag', 'file', 'defaultEnabled', 'environments'],
        additionalProperties: false,
        properties: {
          flag: { type: 'string' },
          file: { type: 'string' },
          defaultEnabled: { type: 'boolean' },
          environments: {
            type: 'array',
            items: {
              type: 'object',
              required: ['environment', 'recorded', 'entries'],
              additionalProperties: false,
              properties: {
                environment: { type: 'string' },
                instance: { type: 'string' },
                recorded: { type: 'boolean' },
                live: state,
                liveInstances: { type: 'object', additionalProperties: state },
                entries: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['appliedAt', 'verified', 'record'],
                    additionalProperties: false,
                    properties: {
                      appliedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T' },
                      verified: { type: 'boolean' },
                      state,
                      previous: state,
                      record: {
                        type: 'object',
                        required: ['source', 'status'],
                        additionalProperties: false,
                        properties: {
                          source: { enum: ['deployment', 'state-file'] },
                          id: { type: 'integer' },
                          // as GitLab gave it: a record naming something else than a commit id is unverified
                          sha: { type: 'string' },
                          status: { type: 'string' },
                          deployer: { type: 'string' },
                        },
                      },
                      change: {
                        type: 'object',
                        required: ['sha', 'author', 'committedAt', 'subject'],
                        additionalProperties: false,
                        properties: { sha, author: { type: 'string' }, committedAt: { type: 'string' }, subject: { type: 'string' } },
                      },
                      mergeRequest: {
                        type: 'object',
                        required: ['iid', 'url', 'title'],
                        additionalProperties: false,
                        properties: {
                          iid: { type: 'integer' },
                          url: { type: 'string' },
                          title: { type: 'string' },
                          author: { type: 'string' },
                          mergedBy: { type: 'string' },
                          mergedAt: { type: 'string' },
                        },
                      },
                    },
                    // an unverified record claims nothing about the flag
                    if: { properties: { verified: { const: false } } },
                    then: { not: { anyOf: [{ required: ['state'] }, { required: ['previous'] }, { required: ['change'] }, { required: ['mergeRequest'] }] } },
                    else: { required: ['state'] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
