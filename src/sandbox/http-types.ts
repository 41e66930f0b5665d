/** The small request/response model the API handlers work with, independent of node:http. */
import type { IncomingHttpHeaders } from 'node:http';

export interface ApiRequest {
  method: string;
  pathname: string;
  /** The query string's parameters (`/oauth/token?grant_type=...`, `/sandbox/callbacks?kind=...`). */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
