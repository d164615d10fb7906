import { describe, expect, it } from 'vitest';
import { eventTime } from '../src/reference/event-time.js';
import { toEcsView } from '../src/reference/ecs-view.js';
import { parseJson } from '../src/reference/json.js';

const HOST = 1_000;
const t = (record: unknown, override?: string) => eventTime(record, toEcsView(record), override, HOST);
const ms = (iso: string) => Date.parse(iso);
const raw = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'a', requestReceivedTimestamp: '2024-01-01T00:00:01Z', stageTimestamp: '2024-01-01T00:00:02.123456Z', timestamp: '2024-01-01T00:00:03Z' };

describe('event time order', () => {
  it('1. timestamp_override, if the record itself carries it', () => {
    expect(t({ ...raw, event: { ingested: '2024-02-02T00:00:00Z' }, '@timestamp': '2024-03-03T00:00:00Z' }, 'event.ingested')).toBe(ms('2024-02-02T00:00:00Z'));
    expect(t({ ...raw, 'event.ingested': 1700000000000 }, 'event.ingested')).toBe(1700000000000);
    expect(t({ ...raw, event: { ingested: 'garbage' } }, 'event.ingested')).toBe(ms('2024-01-01T00:00:02.123Z'));
  });
  it('2. @timestamp', () => {
    expect(t({ ...raw, '@timestamp': '2024-03-03T00:00:00Z' }, 'event.ingested')).toBe(ms('2024-03-03T00:00:00Z'));
    expect(t({ '@timestamp': ['bad', '2024-03-03'] })).toBe(ms('2024-03-03T00:00:00Z'));
  });
  it('3. stageTimestamp, requestReceivedTimestamp, timestamp of an audit event', () => {
    expect(t(raw)).toBe(ms('2024-01-01T00:00:02.123Z'));
    const { stageTimestamp: _s, ...noStage } = raw;
    expect(t(noStage)).toBe(ms('2024-01-01T00:00:01Z'));
    expect(t({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', timestamp: '2017-09-11T19:55:05Z' })).toBe(ms('2017-09-11T19:55:05Z'));
    expect(t({ log: JSON.stringify(raw), time: '2030-01-01T00:00:00Z' })).toBe(ms('2024-01-01T00:00:02.123Z'));
    expect(t({ protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog' }, timestamp: '2025-07-13T08:38:39.127266Z', receiveTimestamp: '2025-07-13T08:38:41Z' })).toBe(ms('2025-07-13T08:38:39.127Z'));
  });
  it('but not for ECS records (no audit fallback there)', () => {
    expect(t({ kubernetes: { audit: { stageTimestamp: '2024-01-01T00:00:00Z' } } })).toBe(HOST);
  });
  it('4. the AKS wrapper time', () => {
    const inner = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'a' };
    expect(t({ category: 'kube-audit', time: '2025-10-07T16:19:19.647880072Z', properties: { log: JSON.stringify(inner) } })).toBe(ms('2025-10-07T16:19:19.647Z'));
    expect(t({ category: 'kube-audit', time: '2025-10-07T16:19:19Z', properties: { log: JSON.stringify(raw) } })).toBe(ms('2024-01-01T00:00:02.123Z'));
  });
  it('5. the host time', () => {
    expect(t({})).toBe(HOST);
    expect(t('not an object')).toBe(HOST);
    expect(t({ kind: 'Event', auditID: 'x', stageTimestamp: 'yesterday' })).toBe(HOST);
  });
  it('numbers are read as their JSON text (a 4-digit number is a year)', () => {
    expect(t(parseJson('{"@timestamp": 1700000000000.0}'))).toBe(1700000000000);
    expect(t(parseJson('{"@timestamp": 2024}'))).toBe(ms('2024-01-01T00:00:00Z'));
    expect(t(parseJson('{"@timestamp": 1e3}'))).toBe(HOST);
    expect(t({ '@timestamp': 1e3 })).toBe(Date.UTC(1000, 0, 1)); // plain JSON.parse output: the text is "1000", a year
  });
});
