// The floor for `flagops apply` of N changes: node start + the same requests over bare node:http (keep-alive, the
// same concurrency): one GET /features, N POSTs, one GET /features. No validation, planning or checking.
import http from 'node:http';

const [url, token, count, concurrency] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * 2 });
const request = (method, path, body) =>
  new Promise((resolve, reject) => {
    const headers = { 'private-token': token, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
    const req = http.request(`${url}/api/v4${path}`, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode < 300 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });

JSON.parse(await request('GET', '/features'));
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      await request('POST', `/features/bench_apply_${i}`, 'value=true');
    }
  }),
);
JSON.parse(await request('GET', '/features'));
agent.destroy();
