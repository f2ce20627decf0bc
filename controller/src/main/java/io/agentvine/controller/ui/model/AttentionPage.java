package io.agentvine.controller.ui.model;

import io.agentvine.controller.clarifications.ClarificationView;
import java.util.List;

/**
 * The Attention page: pending clarifications first (questions and approvals, oldest first: they expire
 * first), then the recently ended ones. {@code admin} decides whether answer forms are rendered.
 */
public record AttentionPage(List<ClarificationView> pending, List<ClarificationView> recent, boolean admin) {
}
