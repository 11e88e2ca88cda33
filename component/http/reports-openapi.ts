/** The OpenAPI 3.1 description of the report API (served at /api/openapi.json). */
import { FIGURE_COLUMNS } from '../../src/report-csv.js';

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
  '401': { description: 'no valid admin bearer token' },
  '503': { description: 'Redis is down' },
};

export const REPORTS_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Madoguchi reports', version: '1' },
  components: {
    securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'http.adminTokens' } },
    schemas: { Period: period },
  },
  security: [{ admin: [] }],
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
  },
} as const;
