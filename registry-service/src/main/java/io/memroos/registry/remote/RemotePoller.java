package io.memroos.registry.remote;

import io.memroos.registry.domain.RemoteAgentService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;

/** Every few seconds, refreshes the remote agents whose poll interval has passed. */
@ApplicationScoped
class RemotePoller {

    private static final Logger LOG = Logger.getLogger(RemotePoller.class);

    private final RemoteAgentService remotes;
    private final Clock clock;

    RemotePoller(RemoteAgentService remotes, Clock clock) {
        this.remotes = remotes;
        this.clock = clock;
    }

    @Scheduled(every = "${memroos.registry.remote.poll-check-every:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "remote-card-poll")
    void pollDue() {
        try {
            int polled = remotes.pollDue(clock.instant());
            if (polled > 0) {
                LOG.debugf("polled %d remote agent card(s)", polled);
            }
        } catch (RuntimeException e) {
            LOG.warnf("remote card poll failed: %s", e.getMessage());
        }
    }
}
