import type { ChoiceRule, PollInput, PollKind, Matter, ResultsShown, PollStatus, Poll } from '@/api/voting'

// The compose form of a poll and what it sends: pure, so the rules are unit-tested (tests/unit/pollForm.spec.ts).

export const MIN_OPTIONS = 2
export const MAX_OPTIONS = 20
export const STATUSES: PollStatus[] = ['draft', 'scheduled', 'open', 'closed', 'withdrawn']

export interface PollForm {
  kind: PollKind
  title: string
  body: string
  options: string[]
  choice: ChoiceRule
  minChoices: number
  maxChoices: number
  counting: 'person' | 'dwelling'
  ownersOnly: boolean
  matter: Matter
  scope: 'everyone' | 'grids' | 'buildings'
  gridIds: number[]
  buildingIds: number[]
  secret: boolean
  results: ResultsShown
  allowChange: boolean
  when: 'now' | 'later'
  opensAt: string
  closesAt: string
}

/** A date as a datetime-local input shows it: the phone's local time, to the minute. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** A new poll: one week long, closing at 18:00, results after close. */
export function emptyForm(now = new Date()): PollForm {
  const closes = new Date(now.getTime() + 7 * 86_400_000)
  closes.setHours(18, 0, 0, 0)
  return {
    kind: 'opinion',
    title: '',
    body: '',
    options: ['', ''],
    choice: 'single',
    minChoices: 1,
    maxChoices: 1,
    counting: 'person',
    ownersOnly: false,
    matter: 'ordinary',
    scope: 'everyone',
    gridIds: [],
    buildingIds: [],
    secret: false,
    results: 'after_close',
    allowChange: false,
    when: 'now',
    opensAt: '',
    closesAt: toLocalInput(closes),
  }
}

const iso = (local: string): string => (local ? new Date(local).toISOString() : '')

/** What POST/PATCH /polls/manage receives; the server fills in the rest an owners' decision implies. */
export function toInput(form: PollForm): PollInput {
  const owners = form.kind === 'owners'
  const single = owners || form.choice === 'single'
  return {
    title: form.title.trim(),
    body: form.body.trim(),
    kind: form.kind,
    choice: owners ? 'single' : form.choice,
    min_choices: single ? 1 : form.minChoices,
    max_choices: single ? 1 : form.maxChoices,
    counting: owners ? 'person' : form.counting,
    scope: {
      everyone: form.scope === 'everyone',
      grid_ids: form.scope === 'grids' ? form.gridIds : [],
      building_ids: form.scope === 'buildings' ? form.buildingIds : [],
    },
    owners_only: owners || form.ownersOnly,
    matter: owners ? form.matter : null,
    secret: form.secret,
    results: form.results,
    allow_change: !form.secret && form.allowChange,
    opens_at: form.when === 'later' && form.opensAt ? iso(form.opensAt) : null,
    closes_at: iso(form.closesAt),
    options: owners ? [] : form.options.map((label) => ({ label: label.trim() })).filter((o) => o.label),
  }
}

/** A saved draft back in the form, to go on editing it. */
export function fromPoll(poll: Poll): PollForm {
  const owners = poll.kind === 'owners'
  return {
    ...emptyForm(),
    kind: poll.kind,
    title: poll.title,
    body: poll.body,
    options: owners ? ['', ''] : poll.options.map((o) => o.label),
    choice: poll.choice,
    minChoices: poll.min_choices,
    maxChoices: poll.max_choices,
    counting: poll.counting === 'dwelling' ? 'dwelling' : 'person',
    ownersOnly: !owners && poll.owners_only,
    matter: poll.matter ?? 'ordinary',
    scope: poll.scope.everyone ? 'everyone' : poll.scope.grid_ids.length ? 'grids' : poll.scope.building_ids.length ? 'buildings' : 'everyone',
    gridIds: poll.scope.grid_ids,
    buildingIds: poll.scope.building_ids,
    secret: poll.secret,
    results: poll.results,
    allowChange: poll.allow_change,
    when: poll.opens_at ? 'later' : 'now',
    opensAt: poll.opens_at ? toLocalInput(new Date(poll.opens_at)) : '',
    closesAt: toLocalInput(new Date(poll.closes_at)),
  }
}

/** The tag colour of a status (its text is always written beside it). */
export function statusTagType(status: PollStatus): 'default' | 'primary' | 'success' | 'warning' {
  return ({ draft: 'default', scheduled: 'warning', open: 'success', closed: 'primary', withdrawn: 'default' } as const)[status]
}

/** Where a poll in the staff list leads: drafts to the form, the rest to their manage page. */
export function pollTarget(cid: number, poll: Pick<Poll, 'id' | 'status'>): string {
  return poll.status === 'draft' ? `/staff/${cid}/polls/${poll.id}/edit` : `/staff/${cid}/polls/${poll.id}`
}

/** Paper slips exist for polls counted by home or owners' unit (one slip each), while open. */
export function paperSupported(poll: Pick<Poll, 'kind' | 'counting'>): boolean {
  return poll.kind === 'owners' || poll.counting === 'dwelling' || poll.counting === 'unit'
}

/** The URL a slip's QR code opens: the resident side's code-ballot page. */
export function slipUrl(origin: string, cid: number, pollId: number, code: string): string {
  return `${origin}/polls/${pollId}/code?cid=${cid}&c=${encodeURIComponent(code)}`
}

/** A share 0–100 for a bar, whole numbers. */
export const percent = (part: number, whole: number): number => (whole > 0 ? Math.min(100, Math.round((part * 100) / whole)) : 0)
