import { loadAllMessages } from './messages'

loadAllMessages()
