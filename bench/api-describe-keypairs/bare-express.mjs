// Baseline server for the benchmark: a bare express app answering one constant JSON document.
// It runs in its own process, like kumod, so both compete with the load generator the same way.
import express from 'express';

const port = Number(process.argv[2]);
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
const body = { requestId: 'c'.repeat(32), result: { keypairs: [], totalCount: 0 } };
app.get('/{*any}', (_req, res) => res.json(body));
app.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
