// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyJobRequest as _k1s0_system_scheduler_v2_ApplyJobRequest, ApplyJobRequest__Output as _k1s0_system_scheduler_v2_ApplyJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/ApplyJobRequest';
import type { ApplyJobResponse as _k1s0_system_scheduler_v2_ApplyJobResponse, ApplyJobResponse__Output as _k1s0_system_scheduler_v2_ApplyJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/ApplyJobResponse';
import type { CancelJobRequest as _k1s0_system_scheduler_v2_CancelJobRequest, CancelJobRequest__Output as _k1s0_system_scheduler_v2_CancelJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/CancelJobRequest';
import type { CancelJobResponse as _k1s0_system_scheduler_v2_CancelJobResponse, CancelJobResponse__Output as _k1s0_system_scheduler_v2_CancelJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/CancelJobResponse';
import type { CreateJobRequest as _k1s0_system_scheduler_v2_CreateJobRequest, CreateJobRequest__Output as _k1s0_system_scheduler_v2_CreateJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/CreateJobRequest';
import type { CreateJobResponse as _k1s0_system_scheduler_v2_CreateJobResponse, CreateJobResponse__Output as _k1s0_system_scheduler_v2_CreateJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/CreateJobResponse';
import type { DeleteJobRequest as _k1s0_system_scheduler_v2_DeleteJobRequest, DeleteJobRequest__Output as _k1s0_system_scheduler_v2_DeleteJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/DeleteJobRequest';
import type { DeleteJobResponse as _k1s0_system_scheduler_v2_DeleteJobResponse, DeleteJobResponse__Output as _k1s0_system_scheduler_v2_DeleteJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/DeleteJobResponse';
import type { DescribeJobRequest as _k1s0_system_scheduler_v2_DescribeJobRequest, DescribeJobRequest__Output as _k1s0_system_scheduler_v2_DescribeJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/DescribeJobRequest';
import type { DescribeJobResponse as _k1s0_system_scheduler_v2_DescribeJobResponse, DescribeJobResponse__Output as _k1s0_system_scheduler_v2_DescribeJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/DescribeJobResponse';
import type { GetJobRequest as _k1s0_system_scheduler_v2_GetJobRequest, GetJobRequest__Output as _k1s0_system_scheduler_v2_GetJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/GetJobRequest';
import type { GetJobResponse as _k1s0_system_scheduler_v2_GetJobResponse, GetJobResponse__Output as _k1s0_system_scheduler_v2_GetJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/GetJobResponse';
import type { ListExecutionsRequest as _k1s0_system_scheduler_v2_ListExecutionsRequest, ListExecutionsRequest__Output as _k1s0_system_scheduler_v2_ListExecutionsRequest__Output } from '../../../../k1s0/system/scheduler/v2/ListExecutionsRequest';
import type { ListExecutionsResponse as _k1s0_system_scheduler_v2_ListExecutionsResponse, ListExecutionsResponse__Output as _k1s0_system_scheduler_v2_ListExecutionsResponse__Output } from '../../../../k1s0/system/scheduler/v2/ListExecutionsResponse';
import type { ListJobsRequest as _k1s0_system_scheduler_v2_ListJobsRequest, ListJobsRequest__Output as _k1s0_system_scheduler_v2_ListJobsRequest__Output } from '../../../../k1s0/system/scheduler/v2/ListJobsRequest';
import type { ListJobsResponse as _k1s0_system_scheduler_v2_ListJobsResponse, ListJobsResponse__Output as _k1s0_system_scheduler_v2_ListJobsResponse__Output } from '../../../../k1s0/system/scheduler/v2/ListJobsResponse';
import type { PauseJobRequest as _k1s0_system_scheduler_v2_PauseJobRequest, PauseJobRequest__Output as _k1s0_system_scheduler_v2_PauseJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/PauseJobRequest';
import type { PauseJobResponse as _k1s0_system_scheduler_v2_PauseJobResponse, PauseJobResponse__Output as _k1s0_system_scheduler_v2_PauseJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/PauseJobResponse';
import type { ResumeJobRequest as _k1s0_system_scheduler_v2_ResumeJobRequest, ResumeJobRequest__Output as _k1s0_system_scheduler_v2_ResumeJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/ResumeJobRequest';
import type { ResumeJobResponse as _k1s0_system_scheduler_v2_ResumeJobResponse, ResumeJobResponse__Output as _k1s0_system_scheduler_v2_ResumeJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/ResumeJobResponse';
import type { TriggerJobRequest as _k1s0_system_scheduler_v2_TriggerJobRequest, TriggerJobRequest__Output as _k1s0_system_scheduler_v2_TriggerJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/TriggerJobRequest';
import type { TriggerJobResponse as _k1s0_system_scheduler_v2_TriggerJobResponse, TriggerJobResponse__Output as _k1s0_system_scheduler_v2_TriggerJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/TriggerJobResponse';
import type { UpdateJobRequest as _k1s0_system_scheduler_v2_UpdateJobRequest, UpdateJobRequest__Output as _k1s0_system_scheduler_v2_UpdateJobRequest__Output } from '../../../../k1s0/system/scheduler/v2/UpdateJobRequest';
import type { UpdateJobResponse as _k1s0_system_scheduler_v2_UpdateJobResponse, UpdateJobResponse__Output as _k1s0_system_scheduler_v2_UpdateJobResponse__Output } from '../../../../k1s0/system/scheduler/v2/UpdateJobResponse';
import type { WatchExecutionsRequest as _k1s0_system_scheduler_v2_WatchExecutionsRequest, WatchExecutionsRequest__Output as _k1s0_system_scheduler_v2_WatchExecutionsRequest__Output } from '../../../../k1s0/system/scheduler/v2/WatchExecutionsRequest';
import type { WatchExecutionsResponse as _k1s0_system_scheduler_v2_WatchExecutionsResponse, WatchExecutionsResponse__Output as _k1s0_system_scheduler_v2_WatchExecutionsResponse__Output } from '../../../../k1s0/system/scheduler/v2/WatchExecutionsResponse';

/**
 * Registers, manages and inspects scheduled jobs.
 */
export interface SchedulerServiceClient extends grpc.Client {
  /**
   * Creates, updates or leaves alone the job with the given key so that it has the given spec (see
   * "Keys, revisions and labels"). Safe to repeat: applying the same spec twice changes nothing the
   * second time.
   * Errors: INVALID_ARGUMENT (key, spec fields with "spec." in front, expected_revision),
   * INVALID_SCHEDULE (spec.schedule), INVALID_STATE (an ended job with another spec), CONFLICT
   * (expected_revision).
   */
  ApplyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  ApplyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  ApplyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  ApplyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates, updates or leaves alone the job with the given key so that it has the given spec (see
   * "Keys, revisions and labels"). Safe to repeat: applying the same spec twice changes nothing the
   * second time.
   * Errors: INVALID_ARGUMENT (key, spec fields with "spec." in front, expected_revision),
   * INVALID_SCHEDULE (spec.schedule), INVALID_STATE (an ended job with another spec), CONFLICT
   * (expected_revision).
   */
  applyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  applyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  applyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  applyJob(argument: _k1s0_system_scheduler_v2_ApplyJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ApplyJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Cancels a job for good: PENDING, RUNNING or PAUSED -> CANCELLED; CANCELLED is a no-op.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED or FAILED).
   */
  CancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Cancels a job for good: PENDING, RUNNING or PAUSED -> CANCELLED; CANCELLED is a no-op.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED or FAILED).
   */
  cancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _k1s0_system_scheduler_v2_CancelJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Registers a job and schedules its first run.
   * Errors: INVALID_ARGUMENT (name, payload, max_retries, timeout_secs, request_id, key, labels),
   * INVALID_SCHEDULE (schedule), CONFLICT (a key another job has, gRPC ALREADY_EXISTS),
   * JOB_NOT_FOUND (a request_id whose job has been deleted).
   * Idempotent by request_id: the same request_id with the same request returns the job created
   * first and creates no second one; the same request_id with a different request is an
   * INVALID_ARGUMENT. A server remembers a request_id for at least 24 hours.
   */
  CreateJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Registers a job and schedules its first run.
   * Errors: INVALID_ARGUMENT (name, payload, max_retries, timeout_secs, request_id, key, labels),
   * INVALID_SCHEDULE (schedule), CONFLICT (a key another job has, gRPC ALREADY_EXISTS),
   * JOB_NOT_FOUND (a request_id whose job has been deleted).
   * Idempotent by request_id: the same request_id with the same request returns the job created
   * first and creates no second one; the same request_id with a different request is an
   * INVALID_ARGUMENT. A server remembers a request_id for at least 24 hours.
   */
  createJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  createJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  createJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  createJob(argument: _k1s0_system_scheduler_v2_CreateJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_CreateJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Removes a job and its executions; its key becomes free. An attempt in flight is aborted and
   * recorded first.
   * Errors: INVALID_ARGUMENT (job_id, key), JOB_NOT_FOUND, CONFLICT (expected_revision).
   */
  DeleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  DeleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  DeleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  DeleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Removes a job and its executions; its key becomes free. An attempt in flight is aborted and
   * recorded first.
   * Errors: INVALID_ARGUMENT (job_id, key), JOB_NOT_FOUND, CONFLICT (expected_revision).
   */
  deleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  deleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  deleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  deleteJob(argument: _k1s0_system_scheduler_v2_DeleteJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns one job and the due times of its next fires (see "Schedule policies", Describing).
   * Errors: INVALID_ARGUMENT (job_id, key, upcoming), JOB_NOT_FOUND.
   */
  DescribeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  DescribeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  DescribeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  DescribeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Returns one job and the due times of its next fires (see "Schedule policies", Describing).
   * Errors: INVALID_ARGUMENT (job_id, key, upcoming), JOB_NOT_FOUND.
   */
  describeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  describeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  describeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  describeJob(argument: _k1s0_system_scheduler_v2_DescribeJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_DescribeJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns one job.
   * Errors: INVALID_ARGUMENT (empty or over-long job_id, bad key, both set), JOB_NOT_FOUND.
   */
  GetJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Returns one job.
   * Errors: INVALID_ARGUMENT (empty or over-long job_id, bad key, both set), JOB_NOT_FOUND.
   */
  getJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _k1s0_system_scheduler_v2_GetJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_GetJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists the executions (attempts) of one job, oldest first, one page at a time. A server keeps at
   * least the 1,000 most recent executions of each job. Paging is as for ListJobs (shorter pages
   * before the end, only an empty next_page_token means the end, page_size may change, tokens are
   * opaque); a next_page_token is bound to its job_id: with another job's id it is an
   * INVALID_ARGUMENT with field page_token.
   * Errors: INVALID_ARGUMENT (job_id, key, page_size, page_token), JOB_NOT_FOUND.
   */
  ListExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  ListExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  ListExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  ListExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists the executions (attempts) of one job, oldest first, one page at a time. A server keeps at
   * least the 1,000 most recent executions of each job. Paging is as for ListJobs (shorter pages
   * before the end, only an empty next_page_token means the end, page_size may change, tokens are
   * opaque); a next_page_token is bound to its job_id: with another job's id it is an
   * INVALID_ARGUMENT with field page_token.
   * Errors: INVALID_ARGUMENT (job_id, key, page_size, page_token), JOB_NOT_FOUND.
   */
  listExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  listExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  listExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  listExecutions(argument: _k1s0_system_scheduler_v2_ListExecutionsRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListExecutionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists jobs ordered by created_at, then id, both ascending, one page at a time. A page may hold
   * fewer than page_size jobs before the last page (a server may shorten pages to keep responses
   * small; the reference server keeps a page to about 4 MiB): only an empty next_page_token means
   * the end. page_size may change from one page to the next. A next_page_token is opaque and bound
   * to the filters (status, name_prefix, labels) of the request that returned it: a client passes
   * it back unchanged with the same filters.
   * Errors: INVALID_ARGUMENT (name_prefix too long, labels beyond their limits, page_size out of
   * range, a page_token this server did not issue for these filters, with field page_token).
   */
  ListJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists jobs ordered by created_at, then id, both ascending, one page at a time. A page may hold
   * fewer than page_size jobs before the last page (a server may shorten pages to keep responses
   * small; the reference server keeps a page to about 4 MiB): only an empty next_page_token means
   * the end. page_size may change from one page to the next. A next_page_token is opaque and bound
   * to the filters (status, name_prefix, labels) of the request that returned it: a client passes
   * it back unchanged with the same filters.
   * Errors: INVALID_ARGUMENT (name_prefix too long, labels beyond their limits, page_size out of
   * range, a page_token this server did not issue for these filters, with field page_token).
   */
  listJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _k1s0_system_scheduler_v2_ListJobsRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pauses a job: PENDING or RUNNING -> PAUSED; PAUSED is a no-op. The note, if any, is shown as
   * Job.status_note.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED).
   */
  PauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  PauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  PauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  PauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Pauses a job: PENDING or RUNNING -> PAUSED; PAUSED is a no-op. The note, if any, is shown as
   * Job.status_note.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED).
   */
  pauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  pauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  pauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  pauseJob(argument: _k1s0_system_scheduler_v2_PauseJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_PauseJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Resumes a paused job: PAUSED -> PENDING (or RUNNING, see (2) above); PENDING and RUNNING are
   * no-ops. The note, if any, is shown as Job.status_note.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED).
   */
  ResumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  ResumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  ResumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  ResumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Resumes a paused job: PAUSED -> PENDING (or RUNNING, see (2) above); PENDING and RUNNING are
   * no-ops. The note, if any, is shown as Job.status_note.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED).
   */
  resumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  resumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  resumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  resumeJob(argument: _k1s0_system_scheduler_v2_ResumeJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_ResumeJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Starts a run now and returns its first attempt, still RUNNING: from PENDING, or from RUNNING
   * when the overlap is ALLOW_ALL (see (3) in the lifecycle table). From PENDING the regular
   * schedule continues from this run.
   * Errors: INVALID_ARGUMENT (job_id, key, overlap), JOB_NOT_FOUND, INVALID_STATE (PAUSED, ended,
   * RUNNING without ALLOW_ALL or with 10 runs in progress, no run left under max_runs).
   */
  TriggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  TriggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  TriggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  TriggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Starts a run now and returns its first attempt, still RUNNING: from PENDING, or from RUNNING
   * when the overlap is ALLOW_ALL (see (3) in the lifecycle table). From PENDING the regular
   * schedule continues from this run.
   * Errors: INVALID_ARGUMENT (job_id, key, overlap), JOB_NOT_FOUND, INVALID_STATE (PAUSED, ended,
   * RUNNING without ALLOW_ALL or with 10 runs in progress, no run left under max_runs).
   */
  triggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  triggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  triggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  triggerJob(argument: _k1s0_system_scheduler_v2_TriggerJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_TriggerJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Changes the fields of a job named by update_mask (see "Keys, revisions and labels").
   * Errors: INVALID_ARGUMENT (job_id, key, spec fields, update_mask), INVALID_SCHEDULE
   * (spec.schedule), JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED), CONFLICT
   * (expected_revision).
   */
  UpdateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  UpdateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  UpdateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  UpdateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Changes the fields of a job named by update_mask (see "Keys, revisions and labels").
   * Errors: INVALID_ARGUMENT (job_id, key, spec fields, update_mask), INVALID_SCHEDULE
   * (spec.schedule), JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED), CONFLICT
   * (expected_revision).
   */
  updateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  updateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  updateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  updateJob(argument: _k1s0_system_scheduler_v2_UpdateJobRequest, callback: grpc.requestCallback<_k1s0_system_scheduler_v2_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Streams the executions of one job (job_id or key), or one execution (execution_id), as they
   * change. Exactly one of the three is set.
   * - One execution: the first message is the execution as it is now. If its result is not
   * RUNNING, the stream then ends with OK; otherwise the next message is the execution when it
   * has finished (SUCCEEDED, FAILED or TIMED_OUT), and the stream ends with OK.
   * - One job: the first messages are its attempts in flight as they are now, oldest first
   * (none when nothing is in flight); then one message each time an attempt of the job starts
   * (result RUNNING) or finishes, in the order these happen. The stream ends with OK when the
   * job has ended (COMPLETED, FAILED or CANCELLED) and no attempt is in flight, at once if that
   * is so when it is opened, and when the job is deleted (after the message of the attempt
   * the delete aborted).
   * Nothing is sent twice and no change is left out: a watcher sees every change of its job in
   * order. The stream ends with DEADLINE_EXCEEDED at the call's deadline, CANCELLED when the client
   * cancels it, and UNAVAILABLE when the server shuts down; a server frees everything a stream
   * holds when it ends.
   * Errors: INVALID_ARGUMENT (job_id, key, execution_id; "one of job_id, key, execution_id" on the
   * second one set), JOB_NOT_FOUND (no such job; no such execution, with field "execution_id": a
   * server keeps at least the 1,000 most recent executions of each job).
   */
  WatchExecutions(argument: _k1s0_system_scheduler_v2_WatchExecutionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_k1s0_system_scheduler_v2_WatchExecutionsResponse__Output>;
  WatchExecutions(argument: _k1s0_system_scheduler_v2_WatchExecutionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_k1s0_system_scheduler_v2_WatchExecutionsResponse__Output>;
  /**
   * Streams the executions of one job (job_id or key), or one execution (execution_id), as they
   * change. Exactly one of the three is set.
   * - One execution: the first message is the execution as it is now. If its result is not
   * RUNNING, the stream then ends with OK; otherwise the next message is the execution when it
   * has finished (SUCCEEDED, FAILED or TIMED_OUT), and the stream ends with OK.
   * - One job: the first messages are its attempts in flight as they are now, oldest first
   * (none when nothing is in flight); then one message each time an attempt of the job starts
   * (result RUNNING) or finishes, in the order these happen. The stream ends with OK when the
   * job has ended (COMPLETED, FAILED or CANCELLED) and no attempt is in flight, at once if that
   * is so when it is opened, and when the job is deleted (after the message of the attempt
   * the delete aborted).
   * Nothing is sent twice and no change is left out: a watcher sees every change of its job in
   * order. The stream ends with DEADLINE_EXCEEDED at the call's deadline, CANCELLED when the client
   * cancels it, and UNAVAILABLE when the server shuts down; a server frees everything a stream
   * holds when it ends.
   * Errors: INVALID_ARGUMENT (job_id, key, execution_id; "one of job_id, key, execution_id" on the
   * second one set), JOB_NOT_FOUND (no such job; no such execution, with field "execution_id": a
   * server keeps at least the 1,000 most recent executions of each job).
   */
  watchExecutions(argument: _k1s0_system_scheduler_v2_WatchExecutionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_k1s0_system_scheduler_v2_WatchExecutionsResponse__Output>;
  watchExecutions(argument: _k1s0_system_scheduler_v2_WatchExecutionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_k1s0_system_scheduler_v2_WatchExecutionsResponse__Output>;
  
}

/**
 * Registers, manages and inspects scheduled jobs.
 */
export interface SchedulerServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates, updates or leaves alone the job with the given key so that it has the given spec (see
   * "Keys, revisions and labels"). Safe to repeat: applying the same spec twice changes nothing the
   * second time.
   * Errors: INVALID_ARGUMENT (key, spec fields with "spec." in front, expected_revision),
   * INVALID_SCHEDULE (spec.schedule), INVALID_STATE (an ended job with another spec), CONFLICT
   * (expected_revision).
   */
  ApplyJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_ApplyJobRequest__Output, _k1s0_system_scheduler_v2_ApplyJobResponse>;
  
  /**
   * Cancels a job for good: PENDING, RUNNING or PAUSED -> CANCELLED; CANCELLED is a no-op.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED or FAILED).
   */
  CancelJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_CancelJobRequest__Output, _k1s0_system_scheduler_v2_CancelJobResponse>;
  
  /**
   * Registers a job and schedules its first run.
   * Errors: INVALID_ARGUMENT (name, payload, max_retries, timeout_secs, request_id, key, labels),
   * INVALID_SCHEDULE (schedule), CONFLICT (a key another job has, gRPC ALREADY_EXISTS),
   * JOB_NOT_FOUND (a request_id whose job has been deleted).
   * Idempotent by request_id: the same request_id with the same request returns the job created
   * first and creates no second one; the same request_id with a different request is an
   * INVALID_ARGUMENT. A server remembers a request_id for at least 24 hours.
   */
  CreateJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_CreateJobRequest__Output, _k1s0_system_scheduler_v2_CreateJobResponse>;
  
  /**
   * Removes a job and its executions; its key becomes free. An attempt in flight is aborted and
   * recorded first.
   * Errors: INVALID_ARGUMENT (job_id, key), JOB_NOT_FOUND, CONFLICT (expected_revision).
   */
  DeleteJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_DeleteJobRequest__Output, _k1s0_system_scheduler_v2_DeleteJobResponse>;
  
  /**
   * Returns one job and the due times of its next fires (see "Schedule policies", Describing).
   * Errors: INVALID_ARGUMENT (job_id, key, upcoming), JOB_NOT_FOUND.
   */
  DescribeJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_DescribeJobRequest__Output, _k1s0_system_scheduler_v2_DescribeJobResponse>;
  
  /**
   * Returns one job.
   * Errors: INVALID_ARGUMENT (empty or over-long job_id, bad key, both set), JOB_NOT_FOUND.
   */
  GetJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_GetJobRequest__Output, _k1s0_system_scheduler_v2_GetJobResponse>;
  
  /**
   * Lists the executions (attempts) of one job, oldest first, one page at a time. A server keeps at
   * least the 1,000 most recent executions of each job. Paging is as for ListJobs (shorter pages
   * before the end, only an empty next_page_token means the end, page_size may change, tokens are
   * opaque); a next_page_token is bound to its job_id: with another job's id it is an
   * INVALID_ARGUMENT with field page_token.
   * Errors: INVALID_ARGUMENT (job_id, key, page_size, page_token), JOB_NOT_FOUND.
   */
  ListExecutions: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_ListExecutionsRequest__Output, _k1s0_system_scheduler_v2_ListExecutionsResponse>;
  
  /**
   * Lists jobs ordered by created_at, then id, both ascending, one page at a time. A page may hold
   * fewer than page_size jobs before the last page (a server may shorten pages to keep responses
   * small; the reference server keeps a page to about 4 MiB): only an empty next_page_token means
   * the end. page_size may change from one page to the next. A next_page_token is opaque and bound
   * to the filters (status, name_prefix, labels) of the request that returned it: a client passes
   * it back unchanged with the same filters.
   * Errors: INVALID_ARGUMENT (name_prefix too long, labels beyond their limits, page_size out of
   * range, a page_token this server did not issue for these filters, with field page_token).
   */
  ListJobs: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_ListJobsRequest__Output, _k1s0_system_scheduler_v2_ListJobsResponse>;
  
  /**
   * Pauses a job: PENDING or RUNNING -> PAUSED; PAUSED is a no-op. The note, if any, is shown as
   * Job.status_note.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED).
   */
  PauseJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_PauseJobRequest__Output, _k1s0_system_scheduler_v2_PauseJobResponse>;
  
  /**
   * Resumes a paused job: PAUSED -> PENDING (or RUNNING, see (2) above); PENDING and RUNNING are
   * no-ops. The note, if any, is shown as Job.status_note.
   * Errors: INVALID_ARGUMENT, JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED).
   */
  ResumeJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_ResumeJobRequest__Output, _k1s0_system_scheduler_v2_ResumeJobResponse>;
  
  /**
   * Starts a run now and returns its first attempt, still RUNNING: from PENDING, or from RUNNING
   * when the overlap is ALLOW_ALL (see (3) in the lifecycle table). From PENDING the regular
   * schedule continues from this run.
   * Errors: INVALID_ARGUMENT (job_id, key, overlap), JOB_NOT_FOUND, INVALID_STATE (PAUSED, ended,
   * RUNNING without ALLOW_ALL or with 10 runs in progress, no run left under max_runs).
   */
  TriggerJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_TriggerJobRequest__Output, _k1s0_system_scheduler_v2_TriggerJobResponse>;
  
  /**
   * Changes the fields of a job named by update_mask (see "Keys, revisions and labels").
   * Errors: INVALID_ARGUMENT (job_id, key, spec fields, update_mask), INVALID_SCHEDULE
   * (spec.schedule), JOB_NOT_FOUND, INVALID_STATE (COMPLETED, FAILED or CANCELLED), CONFLICT
   * (expected_revision).
   */
  UpdateJob: grpc.handleUnaryCall<_k1s0_system_scheduler_v2_UpdateJobRequest__Output, _k1s0_system_scheduler_v2_UpdateJobResponse>;
  
  /**
   * Streams the executions of one job (job_id or key), or one execution (execution_id), as they
   * change. Exactly one of the three is set.
   * - One execution: the first message is the execution as it is now. If its result is not
   * RUNNING, the stream then ends with OK; otherwise the next message is the execution when it
   * has finished (SUCCEEDED, FAILED or TIMED_OUT), and the stream ends with OK.
   * - One job: the first messages are its attempts in flight as they are now, oldest first
   * (none when nothing is in flight); then one message each time an attempt of the job starts
   * (result RUNNING) or finishes, in the order these happen. The stream ends with OK when the
   * job has ended (COMPLETED, FAILED or CANCELLED) and no attempt is in flight, at once if that
   * is so when it is opened, and when the job is deleted (after the message of the attempt
   * the delete aborted).
   * Nothing is sent twice and no change is left out: a watcher sees every change of its job in
   * order. The stream ends with DEADLINE_EXCEEDED at the call's deadline, CANCELLED when the client
   * cancels it, and UNAVAILABLE when the server shuts down; a server frees everything a stream
   * holds when it ends.
   * Errors: INVALID_ARGUMENT (job_id, key, execution_id; "one of job_id, key, execution_id" on the
   * second one set), JOB_NOT_FOUND (no such job; no such execution, with field "execution_id": a
   * server keeps at least the 1,000 most recent executions of each job).
   */
  WatchExecutions: grpc.handleServerStreamingCall<_k1s0_system_scheduler_v2_WatchExecutionsRequest__Output, _k1s0_system_scheduler_v2_WatchExecutionsResponse>;
  
}

export interface SchedulerServiceDefinition extends grpc.ServiceDefinition {
  ApplyJob: MethodDefinition<_k1s0_system_scheduler_v2_ApplyJobRequest, _k1s0_system_scheduler_v2_ApplyJobResponse, _k1s0_system_scheduler_v2_ApplyJobRequest__Output, _k1s0_system_scheduler_v2_ApplyJobResponse__Output>
  CancelJob: MethodDefinition<_k1s0_system_scheduler_v2_CancelJobRequest, _k1s0_system_scheduler_v2_CancelJobResponse, _k1s0_system_scheduler_v2_CancelJobRequest__Output, _k1s0_system_scheduler_v2_CancelJobResponse__Output>
  CreateJob: MethodDefinition<_k1s0_system_scheduler_v2_CreateJobRequest, _k1s0_system_scheduler_v2_CreateJobResponse, _k1s0_system_scheduler_v2_CreateJobRequest__Output, _k1s0_system_scheduler_v2_CreateJobResponse__Output>
  DeleteJob: MethodDefinition<_k1s0_system_scheduler_v2_DeleteJobRequest, _k1s0_system_scheduler_v2_DeleteJobResponse, _k1s0_system_scheduler_v2_DeleteJobRequest__Output, _k1s0_system_scheduler_v2_DeleteJobResponse__Output>
  DescribeJob: MethodDefinition<_k1s0_system_scheduler_v2_DescribeJobRequest, _k1s0_system_scheduler_v2_DescribeJobResponse, _k1s0_system_scheduler_v2_DescribeJobRequest__Output, _k1s0_system_scheduler_v2_DescribeJobResponse__Output>
  GetJob: MethodDefinition<_k1s0_system_scheduler_v2_GetJobRequest, _k1s0_system_scheduler_v2_GetJobResponse, _k1s0_system_scheduler_v2_GetJobRequest__Output, _k1s0_system_scheduler_v2_GetJobResponse__Output>
  ListExecutions: MethodDefinition<_k1s0_system_scheduler_v2_ListExecutionsRequest, _k1s0_system_scheduler_v2_ListExecutionsResponse, _k1s0_system_scheduler_v2_ListExecutionsRequest__Output, _k1s0_system_scheduler_v2_ListExecutionsResponse__Output>
  ListJobs: MethodDefinition<_k1s0_system_scheduler_v2_ListJobsRequest, _k1s0_system_scheduler_v2_ListJobsResponse, _k1s0_system_scheduler_v2_ListJobsRequest__Output, _k1s0_system_scheduler_v2_ListJobsResponse__Output>
  PauseJob: MethodDefinition<_k1s0_system_scheduler_v2_PauseJobRequest, _k1s0_system_scheduler_v2_PauseJobResponse, _k1s0_system_scheduler_v2_PauseJobRequest__Output, _k1s0_system_scheduler_v2_PauseJobResponse__Output>
  ResumeJob: MethodDefinition<_k1s0_system_scheduler_v2_ResumeJobRequest, _k1s0_system_scheduler_v2_ResumeJobResponse, _k1s0_system_scheduler_v2_ResumeJobRequest__Output, _k1s0_system_scheduler_v2_ResumeJobResponse__Output>
  TriggerJob: MethodDefinition<_k1s0_system_scheduler_v2_TriggerJobRequest, _k1s0_system_scheduler_v2_TriggerJobResponse, _k1s0_system_scheduler_v2_TriggerJobRequest__Output, _k1s0_system_scheduler_v2_TriggerJobResponse__Output>
  UpdateJob: MethodDefinition<_k1s0_system_scheduler_v2_UpdateJobRequest, _k1s0_system_scheduler_v2_UpdateJobResponse, _k1s0_system_scheduler_v2_UpdateJobRequest__Output, _k1s0_system_scheduler_v2_UpdateJobResponse__Output>
  WatchExecutions: MethodDefinition<_k1s0_system_scheduler_v2_WatchExecutionsRequest, _k1s0_system_scheduler_v2_WatchExecutionsResponse, _k1s0_system_scheduler_v2_WatchExecutionsRequest__Output, _k1s0_system_scheduler_v2_WatchExecutionsResponse__Output>
}
