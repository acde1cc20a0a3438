import { api } from './client'
import type { Page, Ref } from './types'

// Volunteers (志愿服务): registration, activities and sign-up, check-in by QR code, hours and their
// approval, certificates and the yearly board: backend/volunteering/.

export const AVAILABILITY = [
  'weekday_morning',
  'weekday_afternoon',
  'weekday_evening',
  'weekend_morning',
  'weekend_afternoon',
  'weekend_evening',
] as const
export type Availability = (typeof AVAILABILITY)[number]
export type VolunteerStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn'
export type ActivityStatus = 'draft' | 'open' | 'cancelled'
export type SignupStatus = 'confirmed' | 'waitlisted' | 'cancelled'
export type HoursStatus = 'pending' | 'approved' | 'rejected'
export type PointsMode = 'per_hour' | 'fixed'
export type ScanMode = 'in' | 'out'
export type Rounding = 'down' | 'nearest'
export const ROUNDING_MINUTES = [1, 15, 30, 60] as const

export interface Skill {
  id: number
  name: string
  position: number
}

export interface Team {
  id: number
  name: string
  description: string
}

export interface Volunteer {
  id: number
  user_id: number
  status: VolunteerStatus
  skills: Skill[]
  skill_ids: number[]
  teams: Team[]
  team_ids: number[]
  availability: Availability[]
  emergency_name: string
  emergency_phone: string
  show_on_board: boolean
  reject_reason: string
  created_at: string
  decided_at: string | null
}

export interface VolunteerInput {
  skill_ids: number[]
  team_ids: number[]
  availability: Availability[]
  emergency_name: string
  emergency_phone: string
  show_on_board: boolean
}

export interface VolunteerMe {
  volunteer: Volunteer | null
  hours_this_year: number
  points: number
  verified: boolean
}

export interface PersonBrief {
  id: number
  name: string
  phone: string
}

export interface Registration extends Volunteer {
  user: PersonBrief
  dwelling: string
}

export interface VolunteerRow extends Volunteer {
  user: PersonBrief
  hours_this_year: number
  points: number
}

export interface Attendance {
  id: number
  activity_id: number
  volunteer_id: number
  checked_in_at: string | null
  checked_out_at: string | null
  minutes: number | null
  status: HoursStatus
  /** Awarded when approved, else what approval would award. */
  points: number
  points_awarded: number
  adjust_reason: string
  recorded_by: number | null
  approved_at: string | null
}

export interface Activity {
  id: number
  title: string
  description: string
  facility: Ref | null
  address: string
  starts_at: string
  ends_at: string
  places: number
  skills: Skill[]
  skill_ids: number[]
  team_id: number | null
  points_mode: PointsMode
  points: number
  signup_deadline: string
  cancel_cutoff: string
  status: ActivityStatus
  cancel_reason: string
  taken: number
  waitlist: number
  my_signup: { status: SignupStatus; position: number | null } | null
  my_attendance: Attendance | null
}

export interface ActivityInput {
  title: string
  description: string
  facility_id: number | null
  address: string
  starts_at: string
  ends_at: string
  places: number
  skill_ids: number[]
  team_id: number | null
  points_mode: PointsMode
  points: number
  signup_deadline: string | null
  cancel_cutoff: string | null
}

export interface Signup {
  id: number
  activity_id: number
  status: SignupStatus
  position: number | null
}

export interface ActivityBrief {
  id: number
  title: string
  starts_at: string
}

export interface SheetRow {
  volunteer_id: number
  user: PersonBrief
  signup_status: SignupStatus | null
  position: number | null
  attendance: Attendance | null
}

export interface ScanCode {
  token: string
  expires_at: string
  mode: ScanMode
}

export interface ScanResult {
  activity: ActivityBrief
  mode: ScanMode
  attendance: Attendance
}

export interface HoursApproval extends Attendance {
  activity: ActivityBrief
  user: { id: number; name: string }
}

export interface HistoryRow extends Attendance {
  activity: ActivityBrief
}

export interface VolunteerSettings {
  rounding_minutes: number
  rounding: Rounding
  checkin_early_minutes: number
  reminders: boolean
}

export interface Certificate {
  code: string
  pdf_url: string
  hours: number
  from: string
  to: string
  activities: number
  issued_at: string
}

export interface CertificateCheck {
  name: string
  community: string
  from: string
  to: string
  hours: number
  activities: number
  issued_at: string
  valid: boolean
}

export interface BoardRow {
  rank: number
  name: string
  hours: number
  activities: number
}

const base = (cid: number) => `/communities/${cid}/volunteering`

// Residents and volunteers
export const volunteerMe = (cid: number) => api.get<VolunteerMe>(`${base(cid)}/me`)
export const register = (cid: number, input: VolunteerInput) => api.post<Volunteer>(`${base(cid)}/register`, input)
export const updateVolunteer = (cid: number, input: VolunteerInput) => api.put<Volunteer>(`${base(cid)}/me`, input)
export const withdraw = (cid: number) => api.post<Volunteer>(`${base(cid)}/me/withdraw`)
export const listSkills = (cid: number) => api.get<Skill[]>(`${base(cid)}/skills`)
export const listTeams = (cid: number) => api.get<Team[]>(`${base(cid)}/teams`)
export const listActivities = (cid: number, scope: 'upcoming' | 'past' | 'mine' = 'upcoming') =>
  api.get<Activity[]>(`${base(cid)}/activities`, { query: { scope } })
export const getActivity = (cid: number, id: number) => api.get<Activity>(`${base(cid)}/activities/${id}`)
export const signUp = (cid: number, id: number) => api.post<Signup>(`${base(cid)}/activities/${id}/signup`)
export const cancelSignup = (cid: number, id: number) => api.post<Signup>(`${base(cid)}/activities/${id}/signup/cancel`)
export const scan = (cid: number, token: string) => api.post<ScanResult>(`${base(cid)}/scan`, { token })
export const myHistory = (cid: number) => api.get<HistoryRow[]>(`${base(cid)}/me/history`)
export const issueCertificate = (cid: number, from: string, to: string) =>
  api.post<Certificate>(`${base(cid)}/certificates`, { from, to })
export const board = (cid: number, year?: number) => api.get<BoardRow[]>(`${base(cid)}/board`, { query: { year } })
/** Public: no account needed. */
export const checkCertificate = (code: string) =>
  api.get<CertificateCheck>(`/certificates/${encodeURIComponent(code)}`, { redirectOn401: false })

// Staff
export const listRegistrations = (cid: number, status: VolunteerStatus | undefined, page = 1) =>
  api.get<Page<Registration>>(`${base(cid)}/registrations`, { query: { status, page } })
export const approveRegistration = (cid: number, id: number) => api.post<Volunteer>(`${base(cid)}/registrations/${id}/approve`)
export const rejectRegistration = (cid: number, id: number, reason: string) =>
  api.post<Volunteer>(`${base(cid)}/registrations/${id}/reject`, { reason })
export const listVolunteers = (cid: number, query: { q?: string; skill_id?: number; team_id?: number; page?: number } = {}) =>
  api.get<Page<VolunteerRow>>(`${base(cid)}/volunteers`, { query })
export const createSkill = (cid: number, name: string) => api.post<Skill>(`${base(cid)}/skills`, { name })
export const updateSkill = (cid: number, id: number, name: string) => api.put<Skill>(`${base(cid)}/skills/${id}`, { name })
export const deleteSkill = (cid: number, id: number) => api.del(`${base(cid)}/skills/${id}`)
export const createTeam = (cid: number, name: string, description = '') => api.post<Team>(`${base(cid)}/teams`, { name, description })
export const updateTeam = (cid: number, id: number, name: string, description = '') =>
  api.put<Team>(`${base(cid)}/teams/${id}`, { name, description })
export const deleteTeam = (cid: number, id: number) => api.del(`${base(cid)}/teams/${id}`)
export const createActivity = (cid: number, input: ActivityInput) => api.post<Activity>(`${base(cid)}/activities`, input)
export const updateActivity = (cid: number, id: number, input: ActivityInput) =>
  api.put<Activity>(`${base(cid)}/activities/${id}`, input)
export const publishActivity = (cid: number, id: number) => api.post<Activity>(`${base(cid)}/activities/${id}/publish`)
export const cancelActivity = (cid: number, id: number, reason: string) =>
  api.post<Activity>(`${base(cid)}/activities/${id}/cancel`, { reason })
export const activitySheet = (cid: number, id: number) => api.get<SheetRow[]>(`${base(cid)}/activities/${id}/signups`)
export const sheetCsvUrl = (cid: number, id: number) => `/api/v1${base(cid)}/activities/${id}/sheet.csv`
export const hoursCsvUrl = (cid: number, year: number) => `/api/v1${base(cid)}/export/hours.csv?year=${year}`
export const scanCode = (cid: number, id: number, mode: ScanMode) =>
  api.get<ScanCode>(`${base(cid)}/activities/${id}/code`, { query: { mode } })
export const recordAttendance = (cid: number, id: number, input: { volunteer_id: number; checked_in_at: string; checked_out_at: string }) =>
  api.post<Attendance>(`${base(cid)}/activities/${id}/attendance`, input)
export const listApprovals = (cid: number, page = 1) => api.get<Page<HoursApproval>>(`${base(cid)}/approvals`, { query: { page } })
export const approveHours = (cid: number, id: number, body: { minutes?: number; reason?: string } = {}) =>
  api.post<Attendance>(`${base(cid)}/attendance/${id}/approve`, body)
export const rejectHours = (cid: number, id: number, reason: string) =>
  api.post<Attendance>(`${base(cid)}/attendance/${id}/reject`, { reason })
export const getSettings = (cid: number) => api.get<VolunteerSettings>(`${base(cid)}/settings`)
export const putSettings = (cid: number, settings: VolunteerSettings) => api.put<VolunteerSettings>(`${base(cid)}/settings`, settings)
