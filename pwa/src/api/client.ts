const BASE = '/api/v1'
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE']

export type FieldErrors = Record<string, string[]>

export class ApiError extends Error {
  code: string
  status: number
  errors: FieldErrors
  /** Facts the server gives with a refusal (a quota and how much of it is used). */
  details: Record<string, unknown>

  constructor(code: string, status: number, message = '', errors: FieldErrors = {}, details: Record<string, unknown> = {}) {
    super(message || code)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.errors = errors
    this.details = details
  }
}

export interface RequestOptions {
  body?: unknown
  form?: FormData
  query?: Record<string, string | number | undefined>
  /** Set false where a 401 is an expected answer (login, the first "who am I"). */
  redirectOn401?: boolean
  /** Extra request headers (an `Idempotency-Key`, say). */
  headers?: Record<string, string>
  /** Sees a successful response before its body is read (to read a header, say). */
  onResponse?: (res: Response) => void
}

type UnauthorizedHandler = (returnPath: string) => void

let onUnauthorized: UnauthorizedHandler = (returnPath) => {
  window.location.assign(`/login?redirect=${encodeURIComponent(returnPath)}`)
}

export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

async function refreshCsrf(): Promise<string> {
  await fetch(`${BASE}/auth/csrf`, { credentials: 'same-origin' })
  return readCookie('csrf_token') ?? ''
}

async function csrfToken(): Promise<string> {
  return readCookie('csrf_token') ?? (await refreshCsrf())
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value))
  }
  const qs = params.toString()
  return `${BASE}${path}${qs ? `?${qs}` : ''}`
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const data = await res.json()
    return new ApiError(data.code ?? 'http_error', data.status ?? res.status, data.message, data.errors ?? {}, data.details ?? {})
  } catch {
    // Not our JSON shape (a proxy's HTML page, say): keep the status.
    return new ApiError(res.status >= 500 ? 'server_error' : 'http_error', res.status)
  }
}

function currentPath(): string {
  return window.location.pathname + window.location.search
}

type Prefetched = Partial<Record<string, Promise<Response>>>

function prefetched(): Prefetched {
  const holder = window as { __prefetched?: Prefetched }
  return (holder.__prefetched ??= {})
}

/**
 * An answer asked for before the code that needs it ran: by boot.js before the app's code arrived, by the
 * router while a screen's code downloads. Each is taken once; later asks go out afresh.
 */
function takePrefetched(method: string, path: string, opts: RequestOptions): Promise<Response> | undefined {
  if (method !== 'GET' || typeof window === 'undefined') return undefined
  const early = prefetched()
  const key = buildUrl(path, opts.query).slice(BASE.length)
  const found = early[key]
  if (found) delete early[key]
  return found
}

// Bodies of prefetched answers, read before a screen takes them: reading a body takes a task of its own,
// and the screen would paint once without its data, then grow.
const readAhead = new WeakMap<Response, unknown>()

async function readBody(res: Response): Promise<Response> {
  if (res.ok && res.status !== 204 && !readAhead.has(res)) readAhead.set(res, await res.json())
  return res
}

/** Starts a GET a screen is about to make (or takes boot.js's); resolves (never rejects) once the answer is in. */
export function prefetch(path: string, query?: RequestOptions['query']): Promise<unknown> {
  const early = prefetched()
  const key = buildUrl(path, query).slice(BASE.length)
  const asked = early[key] ?? fetch(BASE + key, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
  const answer = (early[key] = asked.then(readBody))
  // Not taken (the screen changed its mind): a later ask must not get an old answer.
  setTimeout(() => early[key] === answer && delete early[key], 10_000)
  return answer.catch(() => undefined)
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  if (WRITE_METHODS.includes(method)) headers['X-CSRF-Token'] = await csrfToken()
  let body: BodyInit | undefined
  if (opts.form) body = opts.form
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await (takePrefetched(method, path, opts) ??
      fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' }))
  } catch (e) {
    throw new ApiError('network_error', 0, String(e))
  }
  if (res.ok) opts.onResponse?.(res)
  if (res.ok) return (res.status === 204 ? undefined : readAhead.has(res) ? readAhead.get(res) : await res.json()) as T
  const err = await toApiError(res)
  if (err.code === 'csrf_failed' && !retried) {
    // The session may have rotated the token: fetch a fresh one and try once more.
    await refreshCsrf()
    return request<T>(method, path, opts, true)
  }
  if (err.status === 401 && opts.redirectOn401 !== false) onUnauthorized(currentPath())
  throw err
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  del: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
}
