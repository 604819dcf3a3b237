import type { Request, Response } from 'express';

export interface SseStream {
  send(event: string, data: unknown, id?: number): void;
  onClose(listener: () => void): void;
}

/** Opens a server-sent-events response with a heartbeat that keeps proxies from closing it. */
export function openSse(request: Request, response: Response, heartbeatMs = 15_000): SseStream {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  response.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => response.write(': ping\n\n'), heartbeatMs);
  heartbeat.unref();
  const closeListeners: Array<() => void> = [];
  request.on('close', () => {
    clearInterval(heartbeat);
    for (const listener of closeListeners) listener();
  });
  return {
    send(event, data, id) {
      if (response.writableEnded) return;
      response.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
  };
}
