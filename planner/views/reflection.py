"""Guided questions at one place of a post: picking them, showing or hiding an answer in the
post, removing a question. Answers are written with the texts' editor (views/texts.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from yearloop.http import AuthedRequest

from ..forms import AnswerShownForm, QuestionPickForm
from ..models import Answer, Year
from ..permissions import get_answer_for, get_place_for, login_required_in_place
from ..reflection import place_title
from ..texts import AnswerText, reflection_url
from .responses import form_status, fragment_or_redirect

PAGE = "planner/reflection.html"


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def reflection(request: AuthedRequest, username: str, year: int, place: str) -> HttpResponse:
    """GET: the questions picked here, their answers, and what else may be picked.
    POST: pick more."""
    post, place = get_place_for(request, username, year, place)
    answers = place_answers(post, place)
    # Not `request.POST or None`: a POST with nothing picked must be refused, not shown afresh.
    data = request.POST if request.method == "POST" else None
    form = QuestionPickForm(data, post=post, place=place, picked=answers)
    if form.is_valid() and form.save():
        if not request.htmx:
            return redirect(reflection_url(post, place))
        answers = place_answers(post, place)
        form = QuestionPickForm(post=post, place=place, picked=answers)
    return questions_page(request, post, place, form, answers, status=form_status(form))


@login_required_in_place
@require_POST
def answer_shown(request: AuthedRequest, answer_id: int) -> HttpResponse:
    answer = get_answer_for(request, answer_id)
    form = AnswerShownForm(request.POST, instance=answer)
    if form.is_valid():  # a yes or a no: nothing to refuse
        form.save()
    text = AnswerText(answer)
    return fragment_or_redirect(
        request,
        text.display_template,
        lambda: {"text": text, "is_owner": True, "announce": shown_announcement(answer)},
        text.page_url,
    )


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def answer_remove(request: AuthedRequest, answer_id: int) -> HttpResponse:
    """Remove a picked question. An answer with words in it goes only once the person has
    seen it and confirmed, for the text as it is now (not as another tab had it)."""
    answer = get_answer_for(request, answer_id)
    text = AnswerText(answer)
    confirmed = request.POST.get("confirm")
    if request.method == "POST" and (not answer.text.strip() or confirmed == text.version):
        answer.delete()
        post, place = answer.year, answer.place
        if not request.htmx:
            messages.success(request, _("Question removed."))
            return redirect(reflection_url(post, place))
        answers = place_answers(post, place)
        form = QuestionPickForm(post=post, place=place, picked=answers)
        response = questions_page(request, post, place, form, answers)
        return retarget(reswap(response, "outerHTML"), "#reflection")
    context = {"text": text, "changed": confirmed is not None}
    status = 409 if confirmed is not None else 200
    if request.htmx:
        return render(request, "planner/includes/answer_remove.html", context, status=status)
    return render(request, "planner/answer_remove.html", context, status=status)


def place_answers(post: Year, place: str) -> list[Answer]:
    answers = Answer.objects.filter(year=post, place=place).select_related("own_question")
    for answer in answers:
        answer.year = post  # one post, not one load of it per answer
    return list(answers)


def questions_page(
    request: AuthedRequest,
    post: Year,
    place: str,
    form: QuestionPickForm,
    answers: list[Answer],
    status: int = 200,
) -> HttpResponse:
    context = {
        "post": post,
        "place": place,
        "title": place_title(place, post.year),
        "form": form,
        "texts": [AnswerText(answer) for answer in answers],
        "action": reflection_url(post, place),
    }
    template = f"{PAGE}#questions" if request.htmx else PAGE
    return render(request, template, context, status=status)


def shown_announcement(answer: Answer) -> str:
    """What a screen reader hears once an answer is shown in the post or hidden from it."""
    if answer.shown_in_post:
        return _("Readers see this answer in the post now.")
    return _("Only you see this answer now.")
