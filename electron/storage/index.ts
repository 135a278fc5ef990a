/** Files on disk: the one atomic write, and the one table of data file names (issue 17). Plain Node. */
export { writeFileAtomic, type AtomicWriteData, type AtomicWriteOptions } from './atomic-write';
export { moveAside } from './move-aside';
export {
  AUTOSTART_FILE,
  CLI_JOURNAL_FILE,
  DATA_FILES,
  DataDir,
  DEMO_ROUTER_FILES,
  historyFile,
  type DataFile,
} from './data-files';
export { autostartPath, readAutostartEntry, removeAutostartEntry, writeAutostartEntry } from './autostart';
