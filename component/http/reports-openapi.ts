/** The OpenAPI 3.1 description of the report API and the widget's impression beacon (served at /api/openapi.json). */
import { FIGURE_COLUMNS } from '../../src/report-csv.js';
import { BUTTON_STATES, MAX_PER_BEACON } from '../../src/widget-impressions.js';

/** The JSON row: the CSV's columns (one list, src/report-csv.ts), with the rating distribution as one object. */
const period = {
  type: 'object',
  description: 'Figures of one period; docs/reports.md defines each. Durations in ms; absent without samples.',
  properties: {
    period: { type: 'string', description: 'the day (YYYY-MM-DD) or the hour of day' },
    ...Object.fromEntries(FIGURE_COLUMNS.filter((k) => k !== 'period' && !/^rating\d$/.test(k)).map((k) => [k, { type: 'number' }])),
    ratingDistribution: {
      type: 'object',
      description: 'ratings per score, 1 to 5',
      properties: Object.fromEntries(['1', '2', '3', '4', '5'].map((k) => [k, { type: 'number' }])),
    },
  },
};

/** POST /api/widget/impressions (src/widget-impressions.ts). */
const count = { type: 'integer', minimum: 0, maximum: MAX_PER_BEACON };
const impressions = {
  type: 'object',
  required: ['desk'],
  additionalProperties: false,
  properties: {
    desk: { type: 'string', description: 'the desk id, e.g. support' },
    shown: {
      type: 'object',
      additionalProperties: false,
      description: 'times the button was shown, per state (absent: 0)',
      properties: Object.fromEntries(BUTTON_STATES.map((k) => [k, count])),
    },
    opened: { ...count, description: 'times a visitor opened the panel' },
  },
  example: { desk: 'support', shown: { open: 2, busy: 0, closed: 1 }, opened: 1 },
};

const params = [
  { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' }, description: 'first day (desk time zone)' },
  { name: 'to', in: 'query', schema: { type: 'string', format: 'date' }, description: 'last day, included (default: from)' },
  { name: 'desk', in: 'query', schema: { type: 'string' }, description: 'one desk (default: all desks of the viewer)' },
  { name: 'operator', in: 'query', schema: { type: 'string' }, description: "an operator's bare JID: that operator's figures" },
  {
    name: 'by',
    in: 'query',
    schema: { type: 'string', enum: ['day', 'hour'], default: 'day' },
    description: 'rows per day, or per hour of day',
  },
];
const errors = {
  '400': { description: 'bad query (day format, unknown desk, more than 366 days)' },
  '401': { description: 'no valid bearer token (an admin token or a live console session)' },
  '403': {
    description: "outside the viewer's scope: operators see only themselves, supervisors their desks and those desks' operators",
  },
  '503': { description: 'Redis is down' },
};

export const REPORTS_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Madoguchi reports', version: '1' },
  components: {
    securitySchemes: {
      admin: { type: 'http', scheme: 'bearer', description: "one of http.adminTokens: an admin's view" },
      console: {
        type: 'http',
        scheme: 'bearer',
        description:
          "a console session's token (the XEP-0050 command console-session at the component's domain JID, README \"Admin console\"): the session's live role decides what it sees",
      },
    },
    schemas: { Period: period, Impressions: impressions },
  },
  security: [{ admin: [] }, { console: [] }],
  paths: {
    '/api/reports': {
      get: {
        summary: 'Report figures over a range of days, by day or hour of day',
        parameters: params,
        responses: {
          '200': {
            description: 'totals, rows, busiest hours (weekday × hour), rating comments',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    from: { type: 'string' },
                    to: { type: 'string' },
                    by: { type: 'string' },
                    desks: { type: 'array', items: { type: 'string' } },
                    operator: { type: ['string', 'null'] },
                    totals: { $ref: '#/components/schemas/Period' },
                    rows: { type: 'array', items: { $ref: '#/components/schemas/Period' } },
                    busiestHours: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
                    comments: { type: 'array', items: { type: 'object' } },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    '/api/reports/chats.csv': {
      get: {
        summary:
          'One row per chat requested in the range (RFC 4180): ticket, desk, day, requestedAt, outcome, operator, waitMs, firstResponseMs, handleMs, missed, transfers, rating, comment, offlineReplyMs',
        parameters: params.filter((p) => p.name !== 'by'),
        responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors },
      },
    },
    '/api/reports.csv': {
      get: {
        summary: 'The same rows as CSV, one row per period (RFC 4180)',
        parameters: params,
        responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors },
      },
    },
    '/api/widget/impressions': {
      post: {
        summary:
          "The widget loader's beacon: how often the button was shown per state and the panel opened since its last beacon (counts only; the figures shown*, opened)",
        security: [],
        requestBody: {
          required: true,
          description: 'JSON, sent as text/plain (navigator.sendBeacon: no CORS preflight), at most 1 KiB',
          content: { 'text/plain': { schema: { $ref: '#/components/schemas/Impressions' } } },
        },
        responses: {
          '204': { description: 'counted' },
          '400': { description: 'bad body or unknown desk; the error names the field' },
          '413': { description: 'body over 1 KiB' },
          '503': { description: 'Redis is down' },
        },
      },
    },
  },
} as const;
