// ip fields: IPv4 and IPv6 addresses stored as 16 bytes (IPv4 as the IPv4-mapped ::ffff:a.b.c.d,
// so "::ffff:10.0.0.1" and "10.0.0.1" are the same value). Queries: an address (exact), a CIDR
// block `addr/len` (prefix match), or range bounds compared as unsigned 16-byte numbers.

import type { RangeOp, Value } from '../../kql/ast.js';
import type { JsonLeaf } from '../json.js';
import { compareWith } from './keyword.js';

export type IpBytes = Uint8Array; // always 16 bytes

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): number[] | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets: number[] = [];
  for (let i = 1; i <= 4; i++) {
    // Leading zeros are rejected (decimal or octal would be ambiguous).
    if (m[i].length > 1 && m[i][0] === '0') return undefined;
    const v = Number(m[i]);
    if (v > 255) return undefined;
    octets.push(v);
  }
  return octets;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, mayEndWithIpv4: boolean): number[] | undefined => {
    if (part === '') return [];
    const pieces = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && mayEndWithIpv4 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (HEX_GROUP.test(piece)) {
        words.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  let words: number[];
  if (halves.length === 1) {
    const all = groupsOf(halves[0], true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  } else {
    const head = groupsOf(halves[0], false);
    const tail = groupsOf(halves[1], true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  return bytes;
}

/** Parse an IPv4 or IPv6 address (no brackets, no zone id) into 16 bytes. */
export function parseIp(text: string): IpBytes | undefined {
  const v4 = parseIpv4(text);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  return v6 ? Uint8Array.from(v6) : undefined;
}

/** Parse `address/prefix` (IPv4 prefix 0-32, IPv6 0-128; host bits are ignored). */
export function parseCidr(text: string): { address: IpBytes; prefixBits: number } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const addressText = text.slice(0, slash);
  const address = parseIp(addressText);
  if (!address) return undefined;
  const isV4 = parseIpv4(addressText) !== undefined;
  const prefix = Number(prefixText);
  if (prefix > (isV4 ? 32 : 128)) return undefined;
  return { address, prefixBits: isV4 ? prefix + 96 : prefix };
}

export function compareIp(a: IpBytes, b: IpBytes): number {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function samePrefix(a: IpBytes, b: IpBytes, bits: number): boolean {
  for (let i = 0; i < 16; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    if (take === 0) return true;
    const mask = (0xff << (8 - take)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

export function ipDocValue(leaf: JsonLeaf): IpBytes | undefined {
  return typeof leaf === 'string' ? parseIp(leaf) : undefined;
}

export function ipIs(docValues: IpBytes[], value: Value): boolean {
  if (value.type !== 'string') return false;
  if (value.value.includes('/')) {
    const cidr = parseCidr(value.value);
    return cidr !== undefined && docValues.some((d) => samePrefix(d, cidr.address, cidr.prefixBits));
  }
  const q = parseIp(value.value);
  return q !== undefined && docValues.some((d) => compareIp(d, q) === 0);
}

export function ipRange(docValues: IpBytes[], op: RangeOp, literal: string): boolean {
  const bound = parseIp(literal);
  return bound !== undefined && docValues.some((d) => compareWith(op, compareIp(d, bound)));
}
