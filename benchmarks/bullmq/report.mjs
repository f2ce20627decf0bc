// Reads the JSON lines of run-queue-bench.sh and prints medians side by side with ratios.
import { readFileSync } from 'node:fs';

// Only JSON lines count; anything else a tool printed on stdout is shown on stderr, not fatal.
const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).flatMap((l) => {
  try {
    return [JSON.parse(l)];
  } catch {
    console.error(`report: skipped a line that is not JSON: ${l.slice(0, 200)}`);
    return [];
  }
});
const machine = lines.find((l) => l.system === 'machine') ?? {};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pick = (system, scenario, key, value, field) =>
  lines.filter((l) => l.system === system && l.scenario === scenario && (key == null || l[key] === value)).map((l) => l[field]);
const fmt = (x) => (x == null || Number.isNaN(x) ? '-' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(3));
const rounds = pick('agentvine', 'enqueue', null, null, 'ops_per_s').length;

console.log(`Queue benchmark — ${machine.date ?? '?'} — ${machine.cores ?? '?'} cores (${machine.cpu ?? '?'}), Redis ${machine.redis ?? '?'}, Java ${machine.java ?? '?'}, Node ${machine.node ?? '?'}`);
console.log(`${machine.jobs ?? '?'} jobs per scenario, ~670-byte payload, medians of ${rounds} alternating rounds\n`);
const rows = [];
const row = (what, av, bull, ceiling, floor) => rows.push([what, fmt(av), fmt(bull), bull ? (av / bull).toFixed(2) + '×' : '-', fmt(ceiling), fmt(floor)]);
row('enqueue/s, 100 in flight', median(pick('agentvine', 'enqueue', 'in_flight', 100, 'ops_per_s')),
  median(pick('bullmq', 'enqueue', 'in_flight', 100, 'ops_per_s')), null);
const concurrencies = [...new Set(lines.filter((l) => l.scenario === 'claim_ack').map((l) => l.concurrency))];
for (const c of concurrencies) {
  const bull = median(pick('bullmq', 'claim_ack', 'concurrency', c, 'ops_per_s'));
  const ceiling = median(pick('redis-benchmark', 'lmove', 'concurrency', c, 'ops_per_s'));
  const floor = median(pick('lettuce', 'lmove', 'concurrency', c, 'ops_per_s'));
  row(`claim+ack/s, ${c} in flight (the worker's path: ack claims next)`,
    median(pick('agentvine', 'claim_ack_worker', 'concurrency', c, 'ops_per_s')), bull, ceiling, floor);
  const jedis = pick('jedis', 'claim_ack_worker', 'concurrency', c, 'ops_per_s');
  if (jedis.length) {
    // the same script, arguments and payload parse through a client that reads and writes on the calling thread
    row(`claim+ack/s, ${c} in flight (the worker's script through Jedis: calling thread)`, median(jedis), bull, ceiling, floor);
  }
  row(`claim+ack/s, ${c} in flight (ack, then claim: reference)`, median(pick('agentvine', 'claim_ack', 'concurrency', c, 'ops_per_s')), bull, ceiling, floor);
}
for (const [field, label] of [['p50_ms', 'idle wake-up p50 ms (from add call)'], ['p99_ms', 'idle wake-up p99 ms (from add call)'],
  ['p50_after_add_ms', 'idle wake-up p50 ms (from add reply)'], ['p99_after_add_ms', 'idle wake-up p99 ms (from add reply)']]) {
  const av = median(pick('agentvine', 'wakeup', null, null, field));
  const bull = median(pick('bullmq', 'wakeup', null, null, field));
  rows.push([label, fmt(av), fmt(bull), bull ? (av / bull).toFixed(2) + '×' : '-', '-', '-']);
}
// LMOVE ceiling: redis-benchmark (C, one event loop); Lettuce LMOVE: the JVM client the queue uses, sync calls on one
// shared connection from as many threads as in flight — the cheapest round trip the worker's path could make.
const header = ['scenario', 'AgentVine', 'BullMQ', 'ratio', 'LMOVE ceiling', 'Lettuce LMOVE'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
rows.forEach((r) => console.log(line(r)));

// Every round, so a reader sees the spread behind each median.
console.log('\nEvery round (ops/s; wake-up p99 ms):');
for (const system of ['agentvine', 'bullmq', 'lettuce', 'jedis']) {
  for (const l of lines.filter((x) => x.system === system)) {
    const what = l.scenario + (l.concurrency != null ? ` c=${l.concurrency}` : '') + (l.in_flight != null ? ` in_flight=${l.in_flight}` : '');
    console.log(`  ${system.padEnd(9)} ${what.padEnd(28)} ${l.ops_per_s != null ? fmt(l.ops_per_s) : fmt(l.p99_ms)}`);
  }
}
