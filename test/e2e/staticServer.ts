import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { cspHeader, isolationHeaders } from '../../src/sw/headers';

// A plain static host, as docs/HOSTING.md describes it, so a test can deploy a second build without Vite.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.bmp': 'image/bmp',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  url: string;
  /** Files served instead of the directory's (by URL path, e.g. '/sw.js'): a new deploy. */
  overrides: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function serveDir(root: string): Promise<StaticServer> {
  const overrides = new Map<string, Buffer>();
  const server: Server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    const headers: Record<string, string> = {
      ...isolationHeaders,
      'Content-Security-Policy': cspHeader(req.headers['sec-fetch-dest'] as string | undefined),
      'Cache-Control': 'no-cache',
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    };
    try {
      if (!file.startsWith(root + sep)) throw new Error('outside the root');
      const body = overrides.get(path) ?? (await readFile(file));
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    overrides,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the browser keeps connections alive
      }),
  };
}
