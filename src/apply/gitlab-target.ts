/** The flag repository's GitLab as apply uses it: the client, the flag project and the merge request, when known. */
import type { MrRef } from '../gates/types.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';

export interface GitlabTarget {
  port?: GitlabPort;
  project?: ProjectRef;
  mr?: MrRef;
}
