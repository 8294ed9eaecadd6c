import { Readable } from 'node:stream';
import { BadGatewayException, GatewayTimeoutException, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { LOGGER, type Logger } from '@optimove/observability';
import { ConsoleConfig } from '../config/console.config';
import type { GatewayRoute, ServiceName } from './gateway-routes';

/** What the service answered, ready to hand to the browser. */
export type UpstreamAnswer = { status: number; headers: Record<string, string>; body: Buffer };

const REQUEST_HEADERS = ['content-type', 'content-length', 'accept'] as const;
const RESPONSE_HEADERS = ['content-type', 'content-disposition', 'cache-control'] as const;

/** Forwards one allowed request to its service with the services' bearer token. */
@Injectable()
export class GatewayService {
  private readonly baseUrls: Record<ServiceName, string>;

  constructor(
    private readonly config: ConsoleConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.baseUrls = {
      'profile-import': config.PROFILE_IMPORT_URL,
      segmentation: config.SEGMENTATION_URL,
      'smartfocus-dispatch': config.SMARTFOCUS_DISPATCH_URL,
      'metrics-collector': config.METRICS_COLLECTOR_URL,
    };
  }

  async forward(route: GatewayRoute, path: string, request: Request & { body?: unknown }, userName: string): Promise<UpstreamAnswer> {
    const query = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?')) : '';
    const url = `${this.baseUrls[route.service]}${path}${query}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.config.API_TOKEN}`, 'x-console-user': userName };
    for (const name of REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    let body: RequestInit['body'];
    if (route.stream) {
      body = Readable.toWeb(request);
    } else if (route.method !== 'GET' && request.body !== undefined && (headers['content-type'] ?? '').includes('application/json')) {
      // Nest already parsed the JSON: send it again as it was read.
      body = JSON.stringify(request.body);
      delete headers['content-length'];
    } else {
      delete headers['content-length'];
    }
    // A streamed upload takes as long as the file; everything else has a deadline.
    const deadline = route.stream ? undefined : AbortSignal.timeout(this.config.CONSOLE_UPSTREAM_TIMEOUT_MS);
    let response: Response;
    let answerBody: Buffer;
    try {
      response = await fetch(url, { method: route.method, headers, body, signal: deadline, ...(route.stream ? { duplex: 'half' } : {}) });
      // Inside the deadline too: a service may send its headers in time and its body never.
      answerBody = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      // Asked of the signal, not the error: the abort's DOMException may come from another realm.
      if (deadline?.aborted) {
        // No stack: it would only show the timer's, and the cause is known.
        this.logger.warn({ service: route.service, path, timeoutMs: this.config.CONSOLE_UPSTREAM_TIMEOUT_MS }, 'Service did not answer in time');
        throw new GatewayTimeoutException(`${route.service} did not answer in time`);
      }
      this.logger.warn({ service: route.service, path, err: error }, 'Service unreachable');
      throw new BadGatewayException(`${route.service} is not reachable`);
    }
    const answer: UpstreamAnswer = { status: response.status, headers: {}, body: answerBody };
    for (const name of RESPONSE_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) answer.headers[name] = value;
    }
    if (response.status >= 500) this.logger.warn({ service: route.service, path, status: response.status }, 'Service answered with an error');
    return answer;
  }
}
