// The TypeScript side of every message of the conformance vectors (proto/testdata): how a vector's
// `domain` value becomes the wire object the client or server sends (toWire), and back (fromWire).
// Jobs, executions and events use the package's own converters. Requests use the forms the
// client takes them in (the arguments of applyJob, updateJob, deleteJob and listJobs), converted
// with the client's JobSpec and label converters, so that the vectors check those converters.
import { SPEC_FIELD_PROTO_NAMES, JOB_SPEC_FIELDS, type JobFilter, type JobRef, type JobSpec } from '../../src/validation.js';
import type { ApplyJobResult, Job, JobCompletedEvent, JobDescription, JobExecution, JobRequest } from '../../src/types.js';
import type { OverlapPolicy } from '../../src/policy.js';
import {
  applyActionToWire,
  applyResultFromWire,
  eventFromWire,
  eventToWire,
  executionFromWire,
  executionToWire,
  fromStatusWire,
  jobDescriptionFromWire,
  jobDescriptionToWire,
  jobFromWire,
  jobRequestFromWire,
  jobRequestToWire,
  jobSpecFromWire,
  overlapToWire,
  requestOverlapFromWire,
  jobSpecToWire,
  jobToWire,
  copyLabels,
  specFieldOfProtoName,
  toStatusWire,
} from '../../src/wire/convert.js';

/** The proto package of the scheduler's messages. */
export const PKG = 'k1s0.system.scheduler.v2';

type Wire = Record<string, unknown>;

/** A vector message's domain <-> wire conversions. */
export interface VectorCodec {
  toWire(domain: never): object;
  fromWire(wire: never): unknown;
}

/** The arguments of `applyJob(key, spec, { dryRun, expectedRevision })`: the domain form of an ApplyJobRequest. */
export interface ApplyJobRequestDomain {
  key: string;
  spec: JobSpec;
  dryRun?: boolean;
  expectedRevision?: number;
}

/** The arguments of `updateJob(ref, changes, { expectedRevision })`: the own keys of `changes` are the mask. */
export interface UpdateJobRequestDomain {
  ref: JobRef;
  changes: Partial<JobSpec>;
  expectedRevision?: number;
}

/** The arguments of `deleteJob(ref, { expectedRevision })`. */
export interface DeleteJobRequestDomain {
  ref: JobRef;
  expectedRevision?: number;
}

/** The arguments of `triggerJob(ref, { overlap })`. */
export interface TriggerJobRequestDomain {
  ref: JobRef;
  overlap?: OverlapPolicy;
}

/** The arguments of `pauseJob(ref, { note })` (and of `resumeJob`). */
export interface NoteRequestDomain {
  ref: JobRef;
  note?: string;
}

/** The arguments of `describeJob(ref, { upcoming })`. */
export interface DescribeJobRequestDomain {
  ref: JobRef;
  upcoming?: number;
}

/** What `watchExecutions` or `waitForExecution` watches: a job, or one execution. */
export type WatchExecutionsRequestDomain = { ref: JobRef } | { executionId: string };

/** One page request of `listJobs(filter)`. */
export interface ListJobsRequestDomain extends JobFilter {
  pageSize: number;
  pageToken?: string;
}

const refToWire = (ref: JobRef): { jobId?: string; key?: string } => (typeof ref === 'string' ? { jobId: ref } : 'id' in ref ? { jobId: ref.id } : { key: ref.key });
const refFromWire = (w: { jobId: string; key: string }): JobRef => (w.jobId !== '' ? w.jobId : { key: w.key });
const revisionToWire = (n: number | undefined) => (n === undefined ? {} : { expectedRevision: String(n) });
const revisionFromWire = (w: { expectedRevision?: string | null }) => (w.expectedRevision === undefined || w.expectedRevision === null ? {} : { expectedRevision: Number(w.expectedRevision) });

/** Every message of the vectors but google.rpc.Status, by full name. */
export const VECTOR_CODECS: Record<string, VectorCodec> = {
  [`${PKG}.CreateJobRequest`]: {
    toWire: (d: JobRequest) => jobRequestToWire(d, d.requestId ?? fail('a CreateJobRequest vector needs a requestId')),
    // The fields unset on the wire come back as undefined (their defaults), which compare as absent.
    fromWire: (w: Wire) => jobRequestFromWire(w as never),
  },
  [`${PKG}.TriggerJobRequest`]: {
    toWire: (d: TriggerJobRequestDomain) => ({ ...refToWire(d.ref), overlap: overlapToWire(d.overlap) }),
    fromWire: (w: { jobId: string; key: string; overlap: string }): TriggerJobRequestDomain => {
      const overlap = requestOverlapFromWire(w.overlap, 'TriggerJob');
      return { ref: refFromWire(w), ...(overlap === undefined ? {} : { overlap }) };
    },
  },
  [`${PKG}.PauseJobRequest`]: {
    toWire: (d: NoteRequestDomain) => ({ ...refToWire(d.ref), note: d.note ?? '' }),
    fromWire: (w: { jobId: string; key: string; note: string }): NoteRequestDomain => ({ ref: refFromWire(w), ...(w.note === '' ? {} : { note: w.note }) }),
  },
  [`${PKG}.DescribeJobRequest`]: {
    toWire: (d: DescribeJobRequestDomain) => ({ ...refToWire(d.ref), upcoming: d.upcoming ?? 0 }),
    fromWire: (w: { jobId: string; key: string; upcoming: number }): DescribeJobRequestDomain => ({ ref: refFromWire(w), ...(w.upcoming === 0 ? {} : { upcoming: w.upcoming }) }),
  },
  [`${PKG}.DescribeJobResponse`]: {
    toWire: (d: JobDescription) => jobDescriptionToWire(d.job, d.upcomingRuns),
    fromWire: (w: Wire) => jobDescriptionFromWire(w as never),
  },
  [`${PKG}.WatchExecutionsRequest`]: {
    toWire: (d: WatchExecutionsRequestDomain) => ('executionId' in d ? { executionId: d.executionId } : refToWire(d.ref)),
    fromWire: (w: { jobId: string; key: string; executionId: string }): WatchExecutionsRequestDomain => (w.executionId !== '' ? { executionId: w.executionId } : { ref: refFromWire(w) }),
  },
  [`${PKG}.WatchExecutionsResponse`]: {
    toWire: (d: { execution: JobExecution }) => ({ execution: executionToWire(d.execution) }),
    fromWire: (w: { execution: never }) => ({ execution: executionFromWire(w.execution) }),
  },
  [`${PKG}.Job`]: { toWire: (d: Job) => jobToWire(d), fromWire: (w: Wire) => jobFromWire(w as never) },
  [`${PKG}.JobExecution`]: { toWire: (d: JobExecution) => executionToWire(d), fromWire: (w: Wire) => executionFromWire(w as never) },
  [`${PKG}.JobCompletedEvent`]: { toWire: (d: JobCompletedEvent) => eventToWire(d), fromWire: (w: Wire) => eventFromWire(w as never) },
  [`${PKG}.ApplyJobRequest`]: {
    toWire: (d: ApplyJobRequestDomain) => ({ key: d.key, spec: jobSpecToWire(d.spec), dryRun: d.dryRun ?? false, ...revisionToWire(d.expectedRevision) }),
    fromWire: (w: { key: string; spec: never; dryRun: boolean; expectedRevision?: string | null }): ApplyJobRequestDomain => ({
      key: w.key,
      spec: jobSpecFromWire(w.spec, { operation: 'ApplyJob' }) as JobSpec,
      ...(w.dryRun ? { dryRun: true } : {}),
      ...revisionFromWire(w),
    }),
  },
  [`${PKG}.ApplyJobResponse`]: {
    toWire: (d: ApplyJobResult) => ({
      ...(d.job === undefined ? {} : { job: jobToWire(d.job) }),
      action: applyActionToWire(d.action),
      changedFields: d.changedFields.map((f) => SPEC_FIELD_PROTO_NAMES[f]),
    }),
    // Only a dry-run create has no job.
    fromWire: (w: { job: never; action: string; changedFields: string[] }) => applyResultFromWire(w, w.job === null),
  },
  [`${PKG}.UpdateJobRequest`]: {
    toWire: (d: UpdateJobRequestDomain) => ({
      ...refToWire(d.ref),
      spec: jobSpecToWire(d.changes),
      // The mask in field-number order, each field once.
      updateMask: { paths: JOB_SPEC_FIELDS.filter((f) => Object.hasOwn(d.changes, f)).map((f) => SPEC_FIELD_PROTO_NAMES[f]) },
      ...revisionToWire(d.expectedRevision),
    }),
    fromWire: (w: { jobId: string; key: string; spec: never; updateMask: { paths: string[] } | null; expectedRevision?: string | null }): UpdateJobRequestDomain => {
      const fields = (w.updateMask?.paths ?? []).map((p) => specFieldOfProtoName(p) ?? fail(`update_mask: unknown path ${p}`));
      return { ref: refFromWire(w), changes: jobSpecFromWire(w.spec, { operation: 'UpdateJob', fields }) as Partial<JobSpec>, ...revisionFromWire(w) };
    },
  },
  [`${PKG}.DeleteJobRequest`]: {
    toWire: (d: DeleteJobRequestDomain) => ({ ...refToWire(d.ref), ...revisionToWire(d.expectedRevision) }),
    fromWire: (w: { jobId: string; key: string; expectedRevision?: string | null }): DeleteJobRequestDomain => ({ ref: refFromWire(w), ...revisionFromWire(w) }),
  },
  [`${PKG}.ListJobsRequest`]: {
    toWire: (d: ListJobsRequestDomain) => ({
      status: d.status === undefined ? 'JOB_STATUS_UNSPECIFIED' : toStatusWire(d.status),
      namePrefix: d.namePrefix ?? '',
      pageSize: d.pageSize,
      pageToken: d.pageToken ?? '',
      labels: copyLabels(d.labels),
    }),
    fromWire: (w: { status: string; namePrefix: string; pageSize: number; pageToken: string; labels: Record<string, string> }): ListJobsRequestDomain => {
      const status = fromStatusWire(w.status, 'status');
      return {
        ...(status === undefined ? {} : { status }),
        ...(w.namePrefix === '' ? {} : { namePrefix: w.namePrefix }),
        ...(Object.keys(w.labels).length === 0 ? {} : { labels: copyLabels(w.labels) }),
        pageSize: w.pageSize,
        ...(w.pageToken === '' ? {} : { pageToken: w.pageToken }),
      };
    },
  },
};

function fail(message: string): never {
  throw new Error(message);
}
