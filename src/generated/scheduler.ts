import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from './google/protobuf/FieldMask';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';
import type { ApplyJobRequest as _k1s0_system_scheduler_v2_ApplyJobRequest, ApplyJobRequest__Output as _k1s0_system_scheduler_v2_ApplyJobRequest__Output } from './k1s0/system/scheduler/v2/ApplyJobRequest';
import type { ApplyJobResponse as _k1s0_system_scheduler_v2_ApplyJobResponse, ApplyJobResponse__Output as _k1s0_system_scheduler_v2_ApplyJobResponse__Output } from './k1s0/system/scheduler/v2/ApplyJobResponse';
import type { CancelJobRequest as _k1s0_system_scheduler_v2_CancelJobRequest, CancelJobRequest__Output as _k1s0_system_scheduler_v2_CancelJobRequest__Output } from './k1s0/system/scheduler/v2/CancelJobRequest';
import type { CancelJobResponse as _k1s0_system_scheduler_v2_CancelJobResponse, CancelJobResponse__Output as _k1s0_system_scheduler_v2_CancelJobResponse__Output } from './k1s0/system/scheduler/v2/CancelJobResponse';
import type { CreateJobRequest as _k1s0_system_scheduler_v2_CreateJobRequest, CreateJobRequest__Output as _k1s0_system_scheduler_v2_CreateJobRequest__Output } from './k1s0/system/scheduler/v2/CreateJobRequest';
import type { CreateJobResponse as _k1s0_system_scheduler_v2_CreateJobResponse, CreateJobResponse__Output as _k1s0_system_scheduler_v2_CreateJobResponse__Output } from './k1s0/system/scheduler/v2/CreateJobResponse';
import type { CronSchedule as _k1s0_system_scheduler_v2_CronSchedule, CronSchedule__Output as _k1s0_system_scheduler_v2_CronSchedule__Output } from './k1s0/system/scheduler/v2/CronSchedule';
import type { DeleteJobRequest as _k1s0_system_scheduler_v2_DeleteJobRequest, DeleteJobRequest__Output as _k1s0_system_scheduler_v2_DeleteJobRequest__Output } from './k1s0/system/scheduler/v2/DeleteJobRequest';
import type { DeleteJobResponse as _k1s0_system_scheduler_v2_DeleteJobResponse, DeleteJobResponse__Output as _k1s0_system_scheduler_v2_DeleteJobResponse__Output } from './k1s0/system/scheduler/v2/DeleteJobResponse';
import type { DescribeJobRequest as _k1s0_system_scheduler_v2_DescribeJobRequest, DescribeJobRequest__Output as _k1s0_system_scheduler_v2_DescribeJobRequest__Output } from './k1s0/system/scheduler/v2/DescribeJobRequest';
import type { DescribeJobResponse as _k1s0_system_scheduler_v2_DescribeJobResponse, DescribeJobResponse__Output as _k1s0_system_scheduler_v2_DescribeJobResponse__Output } from './k1s0/system/scheduler/v2/DescribeJobResponse';
import type { GetJobRequest as _k1s0_system_scheduler_v2_GetJobRequest, GetJobRequest__Output as _k1s0_system_scheduler_v2_GetJobRequest__Output } from './k1s0/system/scheduler/v2/GetJobRequest';
import type { GetJobResponse as _k1s0_system_scheduler_v2_GetJobResponse, GetJobResponse__Output as _k1s0_system_scheduler_v2_GetJobResponse__Output } from './k1s0/system/scheduler/v2/GetJobResponse';
import type { IntervalSchedule as _k1s0_system_scheduler_v2_IntervalSchedule, IntervalSchedule__Output as _k1s0_system_scheduler_v2_IntervalSchedule__Output } from './k1s0/system/scheduler/v2/IntervalSchedule';
import type { Job as _k1s0_system_scheduler_v2_Job, Job__Output as _k1s0_system_scheduler_v2_Job__Output } from './k1s0/system/scheduler/v2/Job';
import type { JobCompletedEvent as _k1s0_system_scheduler_v2_JobCompletedEvent, JobCompletedEvent__Output as _k1s0_system_scheduler_v2_JobCompletedEvent__Output } from './k1s0/system/scheduler/v2/JobCompletedEvent';
import type { JobExecution as _k1s0_system_scheduler_v2_JobExecution, JobExecution__Output as _k1s0_system_scheduler_v2_JobExecution__Output } from './k1s0/system/scheduler/v2/JobExecution';
import type { JobSpec as _k1s0_system_scheduler_v2_JobSpec, JobSpec__Output as _k1s0_system_scheduler_v2_JobSpec__Output } from './k1s0/system/scheduler/v2/JobSpec';
import type { JobStats as _k1s0_system_scheduler_v2_JobStats, JobStats__Output as _k1s0_system_scheduler_v2_JobStats__Output } from './k1s0/system/scheduler/v2/JobStats';
import type { ListExecutionsRequest as _k1s0_system_scheduler_v2_ListExecutionsRequest, ListExecutionsRequest__Output as _k1s0_system_scheduler_v2_ListExecutionsRequest__Output } from './k1s0/system/scheduler/v2/ListExecutionsRequest';
import type { ListExecutionsResponse as _k1s0_system_scheduler_v2_ListExecutionsResponse, ListExecutionsResponse__Output as _k1s0_system_scheduler_v2_ListExecutionsResponse__Output } from './k1s0/system/scheduler/v2/ListExecutionsResponse';
import type { ListJobsRequest as _k1s0_system_scheduler_v2_ListJobsRequest, ListJobsRequest__Output as _k1s0_system_scheduler_v2_ListJobsRequest__Output } from './k1s0/system/scheduler/v2/ListJobsRequest';
import type { ListJobsResponse as _k1s0_system_scheduler_v2_ListJobsResponse, ListJobsResponse__Output as _k1s0_system_scheduler_v2_ListJobsResponse__Output } from './k1s0/system/scheduler/v2/ListJobsResponse';
import type { OneShotSchedule as _k1s0_system_scheduler_v2_OneShotSchedule, OneShotSchedule__Output as _k1s0_system_scheduler_v2_OneShotSchedule__Output } from './k1s0/system/scheduler/v2/OneShotSchedule';
import type { PauseJobRequest as _k1s0_system_scheduler_v2_PauseJobRequest, PauseJobRequest__Output as _k1s0_system_scheduler_v2_PauseJobRequest__Output } from './k1s0/system/scheduler/v2/PauseJobRequest';
import type { PauseJobResponse as _k1s0_system_scheduler_v2_PauseJobResponse, PauseJobResponse__Output as _k1s0_system_scheduler_v2_PauseJobResponse__Output } from './k1s0/system/scheduler/v2/PauseJobResponse';
import type { ResumeJobRequest as _k1s0_system_scheduler_v2_ResumeJobRequest, ResumeJobRequest__Output as _k1s0_system_scheduler_v2_ResumeJobRequest__Output } from './k1s0/system/scheduler/v2/ResumeJobRequest';
import type { ResumeJobResponse as _k1s0_system_scheduler_v2_ResumeJobResponse, ResumeJobResponse__Output as _k1s0_system_scheduler_v2_ResumeJobResponse__Output } from './k1s0/system/scheduler/v2/ResumeJobResponse';
import type { RetryBackoff as _k1s0_system_scheduler_v2_RetryBackoff, RetryBackoff__Output as _k1s0_system_scheduler_v2_RetryBackoff__Output } from './k1s0/system/scheduler/v2/RetryBackoff';
import type { Schedule as _k1s0_system_scheduler_v2_Schedule, Schedule__Output as _k1s0_system_scheduler_v2_Schedule__Output } from './k1s0/system/scheduler/v2/Schedule';
import type { SchedulePolicy as _k1s0_system_scheduler_v2_SchedulePolicy, SchedulePolicy__Output as _k1s0_system_scheduler_v2_SchedulePolicy__Output } from './k1s0/system/scheduler/v2/SchedulePolicy';
import type { SchedulerServiceClient as _k1s0_system_scheduler_v2_SchedulerServiceClient, SchedulerServiceDefinition as _k1s0_system_scheduler_v2_SchedulerServiceDefinition } from './k1s0/system/scheduler/v2/SchedulerService';
import type { TriggerJobRequest as _k1s0_system_scheduler_v2_TriggerJobRequest, TriggerJobRequest__Output as _k1s0_system_scheduler_v2_TriggerJobRequest__Output } from './k1s0/system/scheduler/v2/TriggerJobRequest';
import type { TriggerJobResponse as _k1s0_system_scheduler_v2_TriggerJobResponse, TriggerJobResponse__Output as _k1s0_system_scheduler_v2_TriggerJobResponse__Output } from './k1s0/system/scheduler/v2/TriggerJobResponse';
import type { UpdateJobRequest as _k1s0_system_scheduler_v2_UpdateJobRequest, UpdateJobRequest__Output as _k1s0_system_scheduler_v2_UpdateJobRequest__Output } from './k1s0/system/scheduler/v2/UpdateJobRequest';
import type { UpdateJobResponse as _k1s0_system_scheduler_v2_UpdateJobResponse, UpdateJobResponse__Output as _k1s0_system_scheduler_v2_UpdateJobResponse__Output } from './k1s0/system/scheduler/v2/UpdateJobResponse';
import type { WatchExecutionsRequest as _k1s0_system_scheduler_v2_WatchExecutionsRequest, WatchExecutionsRequest__Output as _k1s0_system_scheduler_v2_WatchExecutionsRequest__Output } from './k1s0/system/scheduler/v2/WatchExecutionsRequest';
import type { WatchExecutionsResponse as _k1s0_system_scheduler_v2_WatchExecutionsResponse, WatchExecutionsResponse__Output as _k1s0_system_scheduler_v2_WatchExecutionsResponse__Output } from './k1s0/system/scheduler/v2/WatchExecutionsResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      FieldMask: MessageTypeDefinition<_google_protobuf_FieldMask, _google_protobuf_FieldMask__Output>
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      NullValue: EnumTypeDefinition
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
  k1s0: {
    system: {
      scheduler: {
        v2: {
          ApplyAction: EnumTypeDefinition
          ApplyJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_ApplyJobRequest, _k1s0_system_scheduler_v2_ApplyJobRequest__Output>
          ApplyJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_ApplyJobResponse, _k1s0_system_scheduler_v2_ApplyJobResponse__Output>
          CancelJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_CancelJobRequest, _k1s0_system_scheduler_v2_CancelJobRequest__Output>
          CancelJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_CancelJobResponse, _k1s0_system_scheduler_v2_CancelJobResponse__Output>
          CreateJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_CreateJobRequest, _k1s0_system_scheduler_v2_CreateJobRequest__Output>
          CreateJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_CreateJobResponse, _k1s0_system_scheduler_v2_CreateJobResponse__Output>
          CronSchedule: MessageTypeDefinition<_k1s0_system_scheduler_v2_CronSchedule, _k1s0_system_scheduler_v2_CronSchedule__Output>
          DeleteJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_DeleteJobRequest, _k1s0_system_scheduler_v2_DeleteJobRequest__Output>
          DeleteJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_DeleteJobResponse, _k1s0_system_scheduler_v2_DeleteJobResponse__Output>
          DescribeJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_DescribeJobRequest, _k1s0_system_scheduler_v2_DescribeJobRequest__Output>
          DescribeJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_DescribeJobResponse, _k1s0_system_scheduler_v2_DescribeJobResponse__Output>
          ExecutionResult: EnumTypeDefinition
          GetJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_GetJobRequest, _k1s0_system_scheduler_v2_GetJobRequest__Output>
          GetJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_GetJobResponse, _k1s0_system_scheduler_v2_GetJobResponse__Output>
          IntervalSchedule: MessageTypeDefinition<_k1s0_system_scheduler_v2_IntervalSchedule, _k1s0_system_scheduler_v2_IntervalSchedule__Output>
          Job: MessageTypeDefinition<_k1s0_system_scheduler_v2_Job, _k1s0_system_scheduler_v2_Job__Output>
          JobCompletedEvent: MessageTypeDefinition<_k1s0_system_scheduler_v2_JobCompletedEvent, _k1s0_system_scheduler_v2_JobCompletedEvent__Output>
          JobExecution: MessageTypeDefinition<_k1s0_system_scheduler_v2_JobExecution, _k1s0_system_scheduler_v2_JobExecution__Output>
          JobSpec: MessageTypeDefinition<_k1s0_system_scheduler_v2_JobSpec, _k1s0_system_scheduler_v2_JobSpec__Output>
          JobStats: MessageTypeDefinition<_k1s0_system_scheduler_v2_JobStats, _k1s0_system_scheduler_v2_JobStats__Output>
          JobStatus: EnumTypeDefinition
          ListExecutionsRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_ListExecutionsRequest, _k1s0_system_scheduler_v2_ListExecutionsRequest__Output>
          ListExecutionsResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_ListExecutionsResponse, _k1s0_system_scheduler_v2_ListExecutionsResponse__Output>
          ListJobsRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_ListJobsRequest, _k1s0_system_scheduler_v2_ListJobsRequest__Output>
          ListJobsResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_ListJobsResponse, _k1s0_system_scheduler_v2_ListJobsResponse__Output>
          OneShotSchedule: MessageTypeDefinition<_k1s0_system_scheduler_v2_OneShotSchedule, _k1s0_system_scheduler_v2_OneShotSchedule__Output>
          OverlapPolicy: EnumTypeDefinition
          PauseJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_PauseJobRequest, _k1s0_system_scheduler_v2_PauseJobRequest__Output>
          PauseJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_PauseJobResponse, _k1s0_system_scheduler_v2_PauseJobResponse__Output>
          ResumeJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_ResumeJobRequest, _k1s0_system_scheduler_v2_ResumeJobRequest__Output>
          ResumeJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_ResumeJobResponse, _k1s0_system_scheduler_v2_ResumeJobResponse__Output>
          RetryBackoff: MessageTypeDefinition<_k1s0_system_scheduler_v2_RetryBackoff, _k1s0_system_scheduler_v2_RetryBackoff__Output>
          Schedule: MessageTypeDefinition<_k1s0_system_scheduler_v2_Schedule, _k1s0_system_scheduler_v2_Schedule__Output>
          SchedulePolicy: MessageTypeDefinition<_k1s0_system_scheduler_v2_SchedulePolicy, _k1s0_system_scheduler_v2_SchedulePolicy__Output>
          /**
           * Registers, manages and inspects scheduled jobs.
           */
          SchedulerService: SubtypeConstructor<typeof grpc.Client, _k1s0_system_scheduler_v2_SchedulerServiceClient> & { service: _k1s0_system_scheduler_v2_SchedulerServiceDefinition }
          TriggerJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_TriggerJobRequest, _k1s0_system_scheduler_v2_TriggerJobRequest__Output>
          TriggerJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_TriggerJobResponse, _k1s0_system_scheduler_v2_TriggerJobResponse__Output>
          UpdateJobRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_UpdateJobRequest, _k1s0_system_scheduler_v2_UpdateJobRequest__Output>
          UpdateJobResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_UpdateJobResponse, _k1s0_system_scheduler_v2_UpdateJobResponse__Output>
          WatchExecutionsRequest: MessageTypeDefinition<_k1s0_system_scheduler_v2_WatchExecutionsRequest, _k1s0_system_scheduler_v2_WatchExecutionsRequest__Output>
          WatchExecutionsResponse: MessageTypeDefinition<_k1s0_system_scheduler_v2_WatchExecutionsResponse, _k1s0_system_scheduler_v2_WatchExecutionsResponse__Output>
        }
      }
    }
  }
}

