// The activity form and what it sends: pure, so the rules are unit-tested (tests/unit/volunteering.spec.ts).
import type { Activity, ActivityInput, PointsMode } from '@/api/volunteering'
import type { Ref } from '@/api/types'
import { isoFromLocal, localInput } from '../helpers'

export interface ActivityForm {
  title: string
  description: string
  facility: Ref | null
  address: string
  startsAt: string
  endsAt: string
  places: number | string
  skillIds: number[]
  teamId: number | null
  pointsMode: PointsMode
  points: number | string
  signupDeadline: string
  cancelCutoff: string
}

/** A new activity: the day after tomorrow, 9:00 to 11:00, 10 places, 10 points an hour. */
export function emptyActivity(now = new Date()): ActivityForm {
  const starts = new Date(now.getTime() + 2 * 86_400_000)
  starts.setHours(9, 0, 0, 0)
  const ends = new Date(starts.getTime() + 2 * 3_600_000)
  return {
    title: '',
    description: '',
    facility: null,
    address: '',
    startsAt: localInput(starts),
    endsAt: localInput(ends),
    places: 10,
    skillIds: [],
    teamId: null,
    pointsMode: 'per_hour',
    points: 10,
    signupDeadline: '',
    cancelCutoff: '',
  }
}

export function fromActivity(a: Activity): ActivityForm {
  return {
    title: a.title,
    description: a.description,
    facility: a.facility,
    address: a.address,
    startsAt: localInput(new Date(a.starts_at)),
    endsAt: localInput(new Date(a.ends_at)),
    places: a.places,
    skillIds: a.skill_ids,
    teamId: a.team_id,
    pointsMode: a.points_mode,
    points: a.points,
    signupDeadline: a.signup_deadline ? localInput(new Date(a.signup_deadline)) : '',
    cancelCutoff: a.cancel_cutoff ? localInput(new Date(a.cancel_cutoff)) : '',
  }
}

export function toActivityInput(f: ActivityForm): ActivityInput {
  return {
    title: f.title.trim(),
    description: f.description.trim(),
    facility_id: f.facility?.id ?? null,
    address: f.facility ? '' : f.address.trim(),
    starts_at: isoFromLocal(f.startsAt),
    ends_at: isoFromLocal(f.endsAt),
    places: Number(f.places),
    skill_ids: f.skillIds,
    team_id: f.teamId,
    points_mode: f.pointsMode,
    points: Number(f.points),
    signup_deadline: f.signupDeadline ? isoFromLocal(f.signupDeadline) : null,
    cancel_cutoff: f.cancelCutoff ? isoFromLocal(f.cancelCutoff) : null,
  }
}

/** Problems the form can see before sending, as field → message key. */
export function activityProblems(f: ActivityForm): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.startsAt && f.endsAt && new Date(f.endsAt) <= new Date(f.startsAt)) out.ends_at = 'volunteeringStaff.endBeforeStart'
  return out
}
