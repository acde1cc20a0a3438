import type { SendingProgress } from '@/api/notices'

/** While the worker is still sending: the message key and its figures (grouped digits), else null. */
export function sendingLine(progress: SendingProgress | null, locale = 'zh-CN'): { key: string; params: Record<string, string> } | null {
  if (!progress || progress.status !== 'running') return null
  if (progress.total === null) return { key: 'notices.sending.counting', params: {} }
  const n = (v: number) => v.toLocaleString(locale)
  return { key: `notices.sending.${progress.kind}`, params: { done: n(progress.done), total: n(progress.total) } }
}

/** Percent sent, for the bar. */
export function sendingPercent(progress: SendingProgress): number {
  return progress.total ? Math.min(100, Math.round((progress.done * 100) / progress.total)) : 0
}

export const SENDING_POLL_MS = 2000
