import { api } from './client'

export type PollKind = 'opinion' | 'owners'
export type ChoiceRule = 'single' | 'multiple' | 'approval'
export type Counting = 'person' | 'dwelling' | 'unit'
export type Matter = 'ordinary' | 'major'
export type ResultsShown = 'live' | 'after_vote' | 'after_close'
export type PollStatus = 'draft' | 'scheduled' | 'open' | 'closed' | 'withdrawn'
export type Channel = 'online' | 'paper' | 'proxy'
export type Meaning = 'yes' | 'no' | 'abstain'

export interface PollOption {
  id: number
  label: string
  /** Owners' decisions only: what the option means for the tally. */
  meaning: Meaning | null
}

export interface PollScope {
  everyone: boolean
  grid_ids: number[]
  building_ids: number[]
}

/** A poll as staff write it and see it. */
export interface Poll {
  id: number
  /** Staff lists only: how many have voted. */
  voters?: number
  title: string
  body: string
  kind: PollKind
  choice: ChoiceRule
  min_choices: number
  max_choices: number
  counting: Counting
  scope: PollScope
  owners_only: boolean
  matter: Matter | null
  secret: boolean
  results: ResultsShown
  allow_change: boolean
  status: PollStatus
  opens_at: string | null
  closes_at: string
  opened_at: string | null
  closed_at: string | null
  withdrawn_at: string | null
  withdraw_reason: string
  roll_heads: number | null
  /** Decimal as a string, e.g. "1234.50". */
  roll_area: string | null
  options: PollOption[]
}

/** Whether my vote (or my home's or unit's) is in; `choices` is null on a secret ballot. */
export interface MyVote {
  voted: boolean
  voted_at?: string
  channel?: Channel
  by_me?: boolean
  choices?: number[] | null
  void?: boolean
  /** Entered by staff for me: the consent I signed, with the photo of the form. */
  proxy?: ProxyConsent | null
}

/** A poll as a resident sees it. */
export interface ResidentPoll extends Poll {
  can_vote: boolean
  /** null when I am not on this poll's roll. */
  my_vote: MyVote | null
  results_visible: boolean
}

export interface CastResult {
  /** Shown once; null when an existing vote was changed. */
  receipt: string | null
  voted_at: string
  channel: Channel
  changed: boolean
}

/** part/whole judged against a threshold; numbers as exact decimal strings. */
export interface Ratio {
  part: string
  whole: string
  /** Rounded to 4 places, e.g. "0.8000". */
  value: string
  /** The exact value, e.g. "4/5". */
  fraction: string
  /** e.g. "2/3". */
  threshold: string
  /** true: must be above the threshold; false: at least at it. */
  strict: boolean
  met: boolean
}

export interface OwnersDecision {
  matter: Matter
  total_area: string
  total_heads: number
  voted_area: string
  voted_heads: number
  turnout_area: Ratio
  turnout_heads: Ratio
  approval_area: Ratio
  approval_heads: Ratio
  quorum: boolean
  approved: boolean
  passed: boolean
}

export interface OptionCount extends PollOption {
  votes: number
  /** Owners' decisions only. */
  area: string | null
}

export interface CountRow {
  building: string
  channel: Channel
  option_id: number
  votes: number
  area: string | null
}

export interface TurnoutTotals {
  voters: number
  eligible: number
  area: string | null
  total_area: string | null
}

/** An open (记名) poll's ballot with the name beside it. */
export interface NamedBallot {
  name: string
  channel: Channel
  choices: number[]
}

export interface PollResults {
  options: OptionCount[]
  rows: CountRow[]
  turnout: TurnoutTotals
  owners: OwnersDecision | null
  named: NamedBallot[] | null
  generated_at: string
}

export interface Receipt {
  receipt_hash: string
  choices: number[]
}

export interface ProxyConsent {
  id: number
  witness: string
  signed_at: string
  form_ref: string
  /** The photo of the signed form: staff and the resident it is for may open it. */
  photo_id: string
  photo_url: string
  photo_thumb_url: string
  disputed_at: string | null
  dispute_reason: string
}

export const pollsBase = (cid: number) => `/communities/${cid}/polls`

// Residents
export const listPolls = (cid: number, query: { page?: number; per_page?: number } = {}) =>
  api.get<ResidentPoll[]>(pollsBase(cid), { query })
export const getPoll = (cid: number, id: number) => api.get<ResidentPoll>(`${pollsBase(cid)}/${id}`)
export const castBallot = (cid: number, id: number, choices: number[]) =>
  api.post<CastResult>(`${pollsBase(cid)}/${id}/ballots`, { choices })
export const castWithCode = (cid: number, id: number, code: string, choices: number[]) =>
  api.post<CastResult>(`${pollsBase(cid)}/${id}/code-ballots`, { code, choices })
/** The poll a paper slip's code may vote on, for whoever holds the slip (no account needed). */
export const checkCode = (cid: number, id: number, code: string) =>
  api.post<Poll>(`${pollsBase(cid)}/${id}/code-check`, { code })
export const pollResults = (cid: number, id: number) => api.get<PollResults>(`${pollsBase(cid)}/${id}/results`)
export const findReceipt = (cid: number, id: number, receipt: string) =>
  api.get<Receipt>(`${pollsBase(cid)}/${id}/receipts/${encodeURIComponent(receipt)}`)
export const disputeProxy = (cid: number, id: number, reason: string) =>
  api.post<ProxyConsent>(`${pollsBase(cid)}/${id}/dispute`, { reason })

// Staff

/** What staff send to write or change a draft (owners' decisions: the server fills in their rules). */
export interface PollInput {
  title: string
  body: string
  kind: PollKind
  choice: ChoiceRule
  min_choices: number
  max_choices: number
  counting: 'person' | 'dwelling'
  scope: PollScope
  owners_only: boolean
  matter: Matter | null
  secret: boolean
  results: ResultsShown
  allow_change: boolean
  opens_at: string | null
  closes_at: string
  options: { label: string }[]
}

/** Who can vote: a preview while a draft, frozen once open; area and dwellings for owners' decisions. */
export interface RollTotals {
  units: number
  area: string | null
  dwellings: number | null
}

export interface TurnoutBuilding {
  building_id: number | null
  building: string
  voters: number
  online: number
  paper: number
  proxy: number
}

export interface Turnout {
  voters: number
  eligible: number
  buildings: TurnoutBuilding[]
}

/** A paper ballot slip: its code is shown once, when issued. */
export interface Slip {
  voter_key: string
  label: string
  code: string
}

export interface ProxyInput {
  resident_id: number
  choices: number[]
  witness: string
  /** ISO with offset. */
  signed_at: string
  form_ref: string
  /** The id of the signed form's photo, uploaded first with purpose proxy_consent. */
  photo: string
}

export interface ResidentHit {
  id: number
  user: { id: number; name: string; phone: string }
  dwelling: { label: string }
}

const manageBase = (cid: number) => `${pollsBase(cid)}/manage`

export const listManagedPolls = (cid: number, query: { status?: PollStatus; page?: number; per_page?: number } = {}) =>
  api.get<Poll[]>(manageBase(cid), { query })
export const getManagedPoll = (cid: number, id: number) => api.get<Poll>(`${manageBase(cid)}/${id}`)
export const createPoll = (cid: number, input: PollInput) => api.post<Poll>(manageBase(cid), input)
export const updatePoll = (cid: number, id: number, input: Partial<PollInput>) => api.patch<Poll>(`${manageBase(cid)}/${id}`, input)
export const deletePoll = (cid: number, id: number) => api.del(`${manageBase(cid)}/${id}`)
export const publishPoll = (cid: number, id: number) => api.post<Poll>(`${manageBase(cid)}/${id}/publish`)
export const closePoll = (cid: number, id: number) => api.post<Poll>(`${manageBase(cid)}/${id}/close`)
export const withdrawPoll = (cid: number, id: number, reason: string) =>
  api.post<Poll>(`${manageBase(cid)}/${id}/withdraw`, { reason })
export const pollRoll = (cid: number, id: number) => api.get<RollTotals>(`${manageBase(cid)}/${id}/roll`)
export const pollTurnout = (cid: number, id: number) => api.get<Turnout>(`${manageBase(cid)}/${id}/turnout`)
export const issuePaperCodes = (cid: number, id: number) => api.post<Slip[]>(`${manageBase(cid)}/${id}/paper-codes`)
export const enterPaperBallot = (cid: number, id: number, code: string, choices: number[]) =>
  api.post<CastResult>(`${manageBase(cid)}/${id}/paper-ballots`, { code, choices })
export const enterProxyBallot = (cid: number, id: number, input: ProxyInput) =>
  api.post<CastResult>(`${manageBase(cid)}/${id}/proxy-ballots`, input)
export const staffResults = (cid: number, id: number) => api.get<PollResults>(`${manageBase(cid)}/${id}/results`)
export const searchVerifiedResidents = (cid: number, q: string) =>
  api.get<{ items: ResidentHit[]; total: number }>(`/communities/${cid}/residencies`, { query: { status: 'verified', q } })
/** Same-origin download links: the session cookie goes along. */
export const manageFileUrl = (cid: number, id: number, file: 'roll.csv' | 'results.csv' | 'results.pdf') =>
  `/api/v1${manageBase(cid)}/${id}/${file}`
