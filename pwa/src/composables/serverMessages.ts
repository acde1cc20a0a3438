import { i18n } from '@/i18n'

// The server speaks English in field and CSV row errors (marshmallow's messages, our own fields' and
// the importer's). Each pattern names the key that says the same in the user's language; named
// groups become its parameters, and a `column` is itself translated (server.columns.*).
const PATTERNS: [RegExp, string][] = [
  [/^Missing data for required field\.$/, 'required'],
  [/^Field may not be null\.$/, 'null'],
  [/^Must not be blank\.$/, 'blank'],
  [/^Invalid value\.$/, 'invalidValue'],
  [/^Not a valid integer\.$/, 'integer'],
  [/^Not a valid number\.$/, 'number'],
  [/^Not a valid boolean\.$/, 'boolean'],
  [/^Not a valid string\.$/, 'string'],
  [/^Not a valid date\.$/, 'date'],
  [/^Not a valid (?:naive |aware )?datetime\.$/, 'datetime'],
  [/^Not a valid list\.$/, 'list'],
  [/^Not a mainland mobile phone number\.$/, 'phone'],
  // Input hygiene (backend/common/fields.py, common/schemas.py)
  [/^Contains characters that are not allowed\.$/, 'charsNotAllowed'],
  [/^Letters and digits only\.$/, 'lettersDigits'],
  [/^Nothing to change\.$/, 'nothingToChange'],
  [/^Shorter than minimum length (?<min>\d+)\.$/, 'minLength'],
  [/^Longer than maximum length (?<max>\d+)\.$/, 'maxLength'],
  [/^Length must be between (?<min>\d+) and (?<max>\d+)\.$/, 'lengthBetween'],
  [/^Length must be (?<n>\d+)\.$/, 'lengthEqual'],
  [/^Must be greater than or equal to (?<min>[-\d.]+) and less than or equal to (?<max>[-\d.]+)\.$/, 'between'],
  [/^Must be greater than or equal to (?<min>[-\d.]+)\.$/, 'atLeast'],
  [/^Must be less than or equal to (?<max>[-\d.]+)\.$/, 'atMost'],
  [/^Must be one of: (?<choices>.+)\.$/, 'oneOf'],
  [/^Unknown field\.$/, 'unknownField'],
  [/^Already registered\.$/, 'registered'],
  [/^The current password is wrong\.$/, 'currentPassword'],
  [/^This password is too easy to guess\.$/, 'weakPassword'],
  [/^This invite code is wrong, used up, expired or revoked\.$/, 'inviteInvalid'],
  [/^Give either an invite code or a dwelling\.$/, 'inviteOrDwelling'],
  [/^Say how you live in the dwelling\.$/, 'relation'],
  [/^No such \w+ in this community\.$/, 'notInCommunity'],
  [/^Digits, spaces, dashes and \+ only\.$/, 'officePhone'],
  [/^Not a valid URL\.$/, 'url'],
  [/^Give the online address when it can be done online\.$/, 'onlineUrl'],
  // Push devices (backend/push/endpoints.py, services.py)
  [/^(?:Not a known push service|Must be an https push service URL)\.$/, 'pushService'],
  [/^This device is registered to another account\.$/, 'endpointTaken'],
  // Facility hours and contacts (backend/facilities/schemas.py, services.py)
  [/^A range is \[start, end\]\.$/, 'rangeShape'],
  [/^Times are HH:MM from 00:00 to 24:00/, 'rangeTimes'],
  [/^A range must not start and end at the same time\.$/, 'rangeSame'],
  [/^The end is before the start or more than a year after it\.$/, 'exceptionEnd'],
  [/^Special hours need at least one range\.$/, 'exceptionRanges'],
  [/^Not staff of this community\.$/, 'notStaff'],
  // Polls (backend/voting/schemas.py, services.py, ballots.py, routes.py)
  [/^Give at least two options\.$/, 'pollOptions'],
  [/^Choices must be 1 ≤ at least ≤ at most ≤ the number of options\.$/, 'pollChoiceRange'],
  [/^Must be after the poll opens\.$/, 'pollClosesAfterOpen'],
  [/^Must be in the future\.$/, 'future'],
  [/^Must be a date between 2000 and 2099\.$/, 'dateRange'],
  [/^A consent cannot be signed in the future\.$/, 'consentFuture'],
  [/^The consent was signed long before this poll was set up\.$/, 'consentTooEarly'],
  [/^Choose the whole community, some grids or buildings\.$/, 'pollScope'],
  [/^Choose among this poll's options, each once\.$/, 'pollChoices'],
  [/^Choose (?<min>\d+) to (?<max>\d+) options\.$/, 'pollChoiceCount'],
  [/^This code is wrong or already used\.$/, 'paperCode'],
  [/^No such resident\.$/, 'noResident'],
  // Contacts and duty rosters (backend/contacts/schemas.py, roster.py); a whole day's problem names the day first
  [/^A time is HH:MM, from 00:00 to 24:00\.$/, 'clock'],
  [/^Digits and dashes only, at most 20\.$/, 'telephone'],
  [/^(?:Weekday \d: |\d{4}-\d{2}-\d{2}: )?At most (?<n>\d+) spans a day\.$/, 'spansTooMany'],
  [/^(?:Weekday \d: |\d{4}-\d{2}-\d{2}: )?A span must start before it ends\.$/, 'spanOrder'],
  [/^(?:Weekday \d: |\d{4}-\d{2}-\d{2}: )?Spans of one day must not overlap\.$/, 'spansOverlap'],
  [/^\d{4}-\d{2}-\d{2}: a day off has no other entries\.$/, 'dayOffAlone'],
  [/^A duty day needs its start and end/, 'dutyTimes'],
  [/^Must be between (?<first>\d{4}-\d{2}-\d{2}) and (?<last>\d{4}-\d{2}-\d{2})\.$/, 'dateBetween'],
  // Questions and photos (backend/consult/schemas.py, services.py; backend/files/services.py)
  [/^Each photo once\.$/, 'photoOnce'],
  [/^Upload the photo first/, 'uploadFirst'],
  [/^Each topic at most once\.$/, 'topicOnce'],
  [/^Not a Saturday or Sunday: /, 'notWeekend'],
  [/^Both a holiday and a workday: /, 'holidayAndWorkday'],
  [/^It is already assigned to this contact\.$/, 'alreadyAssigned'],
  // Points and the love supermarket (backend/points/schemas.py, services)
  [/^No member of this community has this phone number\.$/, 'noMemberPhone'],
  [/^This person is not a member of the community\.$/, 'notMember'],
  [/^Goods need a stock count\.$/, 'goodsNeedStock'],
  [/^A change of zero changes nothing\.$/, 'zeroChange'],
  // CSV import rows (backend/places/importer.py)
  [/^(?<column>\w+): required$/, 'columnRequired'],
  [/^(?<column>\w+): too long$/, 'columnTooLong'],
  [/^(?<column>\w+): characters not allowed$/, 'columnCharsNotAllowed'],
  [/^Not readable as CSV\.$/, 'csvLineUnreadable'],
  [/^floor_area: must be a number of square metres between (?<min>[\d.]+) and (?<max>[\d.]+)$/, 'floorArea'],
  [/^owner_phone: (?<phone>.+) is not a mobile number$/, 'ownerPhone'],
  [/^duplicate of line (?<line>\d+)$/, 'duplicateLine'],
  [/^Missing column: (?<column>.+)$/, 'missingColumn'],
  [/^Unreadable text\.$/, 'unreadable'],
  [/^Larger than (?<size>[\d.]+ ?[KMG]B)\.$/, 'fileTooLarge'],
  [/^No rows or too many\.$/, 'rowCount'],
]

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)
const te = (key: string) => i18n.global.te(key, 'zh-CN')

function param(name: string, value: string): string {
  return name === 'column' && te(`server.columns.${value}`) ? t(`server.columns.${value}`) : value
}

/** One server message in the user's language, or null when we do not know it. */
export function localizeServerMessage(message: string): string | null {
  const text = message.trim()
  for (const [pattern, key] of PATTERNS) {
    const match = pattern.exec(text)
    if (!match) continue
    const values = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, param(k, v)]))
    return t(`server.${key}`, values)
  }
  return null
}

/**
 * Several server messages as one line: known ones localized, unknown ones as `fallback` (in English
 * the server's own words are clearer than a generic "please check").
 */
export function localizeServerMessages(messages: unknown, fallback: string): string {
  const list = Array.isArray(messages) ? messages.filter((m): m is string => typeof m === 'string') : []
  const english = i18n.global.locale.value === 'en'
  const out = list.map((m) => localizeServerMessage(m) ?? (english ? m : fallback))
  return [...new Set(out.length ? out : [fallback])].join(english ? ' ' : '；')
}
