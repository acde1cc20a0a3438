// Pure helpers of the resident voting screens: deadlines, choice limits, bar widths, receipts kept on
// this phone. Messages are returned as i18n keys with their values, so they test without a DOM.
import type { ChoiceRule, MyVote, PollStatus, ResidentPoll } from '@/api/voting'
import { readCache, writeCache } from '@/composables/cache'

export interface Message {
  key: string
  values?: Record<string, string | number>
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "还剩 3 天" while open, "已截止" after the deadline, "已撤销" when withdrawn. */
export function deadlineText(status: PollStatus, closesAt: string, now: number = Date.now()): Message {
  if (status === 'withdrawn') return { key: 'voting.withdrawn' }
  const left = new Date(closesAt).getTime() - now
  if (status !== 'open' || !(left > 0)) return { key: 'voting.closed' }
  if (left >= DAY) return { key: 'voting.daysLeft', values: { n: Math.floor(left / DAY) } }
  if (left >= HOUR) return { key: 'voting.hoursLeft', values: { n: Math.floor(left / HOUR) } }
  return { key: 'voting.minutesLeft', values: { n: Math.max(1, Math.floor(left / MINUTE)) } }
}

/** Whether the deadline is near enough (a day) to say so in warning colours. */
export function closingSoon(status: PollStatus, closesAt: string, now: number = Date.now()): boolean {
  const left = new Date(closesAt).getTime() - now
  return status === 'open' && left > 0 && left < DAY
}

/** I may vote and neither I nor my home or unit has voted yet. */
export function awaitsMyVote(poll: Pick<ResidentPoll, 'status' | 'can_vote' | 'my_vote'>): boolean {
  return poll.status === 'open' && poll.can_vote && !poll.my_vote?.voted
}

export const pendingCount = (polls: Pick<ResidentPoll, 'status' | 'can_vote' | 'my_vote'>[]): number =>
  polls.filter(awaitsMyVote).length

/** The hint under the options: nothing for one choice, "选 2 项" or "选 1–3 项" otherwise. */
export function choiceHint(choice: ChoiceRule, min: number, max: number): Message | null {
  if (choice === 'single') return null
  if (min === max) return { key: 'voting.chooseExactly', values: { n: min } }
  return { key: 'voting.chooseBetween', values: { min, max } }
}

/** Whether this many choices may be sent. */
export function choiceCountOk(count: number, min: number, max: number): boolean {
  return count >= min && count <= max
}

/** "0.8000" → 80; out-of-range or unreadable values are clamped to 0–100. */
export function ratioPercent(value: string): number {
  return clampPercent(Number(value) * 100)
}

/** "2/3" → 66.67 (a threshold's place on the bar). */
export function fractionPercent(fraction: string): number {
  const [n, d] = fraction.split('/').map(Number)
  return d ? clampPercent((n / d) * 100) : 0
}

/** part of whole as a percentage of the bar, 0 when there is no whole. */
export function share(part: number | string, whole: number | string): number {
  const w = Number(whole)
  return w > 0 ? clampPercent((Number(part) / w) * 100) : 0
}

function clampPercent(x: number): number {
  if (!Number.isFinite(x)) return 0
  return Math.min(100, Math.max(0, Math.round(x * 100) / 100))
}

/** A percentage as people read it: "80%", "66.7%". */
export function percentText(percent: number): string {
  return `${Math.round(percent * 10) / 10}%`
}

/** "2/3" read aloud: 三分之二 / two thirds is left to the messages; this gives the key. */
export function fractionKey(fraction: string): string {
  return `voting.fraction.${fraction.replace('/', '_')}`
}

/** How my (or my home's) vote came in, as a key. */
export function votedHow(vote: MyVote): Message {
  if (!vote.by_me) return { key: 'voting.votedByHousehold' }
  return { key: `voting.channel.${vote.channel ?? 'online'}` }
}

/** A receipt grouped by four for reading aloud or copying by hand: "a1b2 c3d4 …". */
export function groupReceipt(receipt: string): string {
  return receipt.replace(/(.{4})(?=.)/g, '$1 ')
}

export interface StoredReceipt {
  receipt: string
  voted_at: string
}

const receiptKey = (cid: number, pollId: number) => `voting:receipt:${cid}:${pollId}`

/** The receipt of my ballot in this poll, if it was cast on this phone. */
export function readReceipt(cid: number, pollId: number): StoredReceipt | null {
  return readCache<StoredReceipt>(receiptKey(cid, pollId))
}

export function keepReceipt(cid: number, pollId: number, value: StoredReceipt): void {
  writeCache(receiptKey(cid, pollId), value)
}
