// Package runtask is planguard as an HCP Terraform / Terraform Enterprise
// run task: it verifies a run task request's HMAC over the raw bytes, answers
// at once, fetches the run's plan JSON, runs the same gate as `planguard
// check` and reports the decision through the task result callback, with
// one outcome per protected destructive change. Protocol types come from
// go-tfe (tfe.RunTaskRequest, tfe.TaskResultCallbackRequestOptions).
//
// The service is stateless: every decision is made from the request, the
// plan and the policy, so replicas behind a load balancer need nothing
// shared. What a replica keeps (decision pages, recently seen task results)
// is a bounded cache, lost on restart.
package runtask
