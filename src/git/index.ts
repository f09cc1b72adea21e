export {
  createGit,
  GitError,
  SHALLOW_HINT,
  type Git,
  type ChangedFile,
  type ChangeStatus,
  type FileCommit,
} from './git.js';
