import { it } from 'vitest';
import { hostFor, PACK, rawEvent, line } from './helpers/evaluator.js';
import { loadRules } from '../src/rules/load.js';
it('scratch', async () => {
  const t0 = Date.now();
  const r = await loadRules([PACK]);
  console.log(r.rules.length, r.skipped.length, r.errors, r.warnings.map(w=>w.message), r.skipped.map(s=>[s.kind,s.reason, s.rule.source.file]));
  const h = await hostFor(r.rules);
  console.log('ms', Date.now()-t0);
  const o = h.filter(line(rawEvent({userAgent: 'x/1'})), Date.now());
  console.log(o.verdict, o.output.toString());
});
