package io.memroos.gateway.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/** The console's type-checked templates (src/main/resources/templates/). */
@CheckedTemplate(basePath = "")
public final class Templates {

    private Templates() {
    }

    public static native TemplateInstance login(String version, String csrf, String error);

    public static native TemplateInstance overview(Views.Page page, List<Views.ServiceStatus> services,
                                                   Views.AgentSummary summary);

    public static native TemplateInstance services(List<Views.ServiceStatus> services);

    public static native TemplateInstance agents(Views.Page page, List<Views.Agent> agents, String loadError,
                                                 Views.AgentForm form, Views.FormErrors errors);

    public static native TemplateInstance agentRows(List<Views.Agent> agents, String loadError);

    public static native TemplateInstance agent(Views.Page page, Views.Agent agent, List<Views.Key> keys,
                                                Views.NewKey newKey, String keyError, List<Views.Heartbeat> heartbeats,
                                                String csrf);

    public static native TemplateInstance keys(Views.Agent agent, List<Views.Key> keys, Views.NewKey newKey, String keyError,
                                               String csrf);

    public static native TemplateInstance heartbeats(Views.Agent agent, List<Views.Heartbeat> heartbeats);

    public static native TemplateInstance inbox(Views.Page page, boolean busDown, List<Views.Backlog> backlog,
                                                String backlogError, String q, List<Views.BusMessage> results,
                                                String searchError, List<Views.DeadLetter> deadLetters, String deadError);

    public static native TemplateInstance inboxBacklog(List<Views.Backlog> backlog, String backlogError);

    public static native TemplateInstance inboxDead(List<Views.DeadLetter> deadLetters, String deadError, String notice,
                                                    String noticeError);

    public static native TemplateInstance inboxThread(Views.Page page, String threadId, List<Views.BusMessage> messages,
                                                      String error);

    public static native TemplateInstance audit(Views.Page page, boolean governanceDown, GovViews.AuditStatus status,
                                                String statusError, GovViews.AuditFilter filter,
                                                List<GovViews.AuditEvent> events, String eventsError, String nextCursor,
                                                String cursor);

    public static native TemplateInstance auditVerify(GovViews.VerifyResult result, String error);

    public static native TemplateInstance policies(Views.Page page, boolean governanceDown, GovViews.PolicySet current,
                                                   String currentError, List<GovViews.PolicyVersion> history,
                                                   String historyError, String saved);

    public static native TemplateInstance policyEdit(Views.Page page, boolean creating, String id, String text,
                                                     String comment, GovViews.Validation validation, String error,
                                                     String notice);

    public static native TemplateInstance policyValidation(GovViews.Validation validation);

    public static native TemplateInstance policyVersion(Views.Page page, GovViews.PolicySet set, String error);

    public static native TemplateInstance usage(Views.Page page, boolean governanceDown, String agentId, String metric,
                                                GovViews.Chart chart, String chartError, List<GovViews.Receipt> tools,
                                                String toolsError, List<GovViews.Receipt> models, String modelsError);

    public static native TemplateInstance notFound(Views.Page page, String what);
}
